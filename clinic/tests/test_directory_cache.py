"""The cached department and doctor lists, and the cached bookable doctor of the
booking page: hits, invalidation after commit, Redis outages."""

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse

from accounts.services import user_update
from clinic import selectors, services
from clinic.selectors import DEPARTMENTS_KEY, bookable_doctor_key, department_doctors_key
from clinic.tests.factories import DepartmentFactory, DoctorFactory

pytestmark = pytest.mark.django_db

CLOSED_PORT_CACHE = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        # Nothing listens on port 1 here: every cache call fails fast.
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {
            "SOCKET_CONNECT_TIMEOUT": 0.2,
            "SOCKET_TIMEOUT": 0.2,
            "IGNORE_EXCEPTIONS": True,
        },
    }
}


@pytest.fixture
def cardiology():
    department = DepartmentFactory(name="Cardiology")
    DoctorFactory(department=department, first_name="Asha", last_name="Rao")
    return department


def test_it_serves_the_department_list_from_the_cache(cardiology, django_assert_num_queries):
    first = selectors.department_directory()

    with django_assert_num_queries(0):
        again = selectors.department_directory()

    assert again == first
    assert first == [
        {
            "id": cardiology.pk,
            "name": "Cardiology",
            "slug": "cardiology",
            "description": cardiology.description,
            "is_active": True,
            "doctor_count": 1,
            "bookable_count": 1,
        }
    ]


def test_it_serves_a_departments_doctors_from_the_cache(cardiology, django_assert_num_queries):
    first = selectors.department_doctors(department_id=cardiology.pk)

    with django_assert_num_queries(0):
        again = selectors.department_doctors(department_id=cardiology.pk)

    assert again == first
    assert [doctor["name"] for doctor in first] == ["Dr. Asha Rao"]


def test_it_caches_plain_data_not_querysets(cardiology):
    selectors.department_directory()
    selectors.department_doctors(department_id=cardiology.pk)

    for key in (DEPARTMENTS_KEY, department_doctors_key(cardiology.pk)):
        cached = cache.get(key)
        assert isinstance(cached, list)
        assert all(isinstance(row, dict) for row in cached)


def test_it_caches_for_the_configured_time(cardiology, settings, django_assert_num_queries):
    settings.HMS_DIRECTORY_CACHE_SECONDS = 0  # expires at once

    selectors.department_directory()

    with django_assert_num_queries(1):
        selectors.department_directory()


def test_it_queries_less_on_a_warm_cache(patient_client, cardiology, django_assert_max_num_queries):
    url = reverse("clinic:department-detail", args=[cardiology.slug])
    patient_client.get(url)

    # Only the person (with their patient row): the department and its doctors are cached.
    with django_assert_max_num_queries(1) as captured:
        response = patient_client.get(url)

    assert "Dr. Asha Rao" in response.text
    assert not any('FROM "clinic_doctor"' in query["sql"] for query in captured.captured_queries)
    assert not any(
        'FROM "clinic_department"' in query["sql"] for query in captured.captured_queries
    )


def test_it_shows_a_new_doctor_at_once(
    admin_client, cardiology, django_capture_on_commit_callbacks
):
    url = reverse("clinic:department-detail", args=[cardiology.slug])
    assert "Dr. Neha Iyer" not in admin_client.get(url).text

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("clinic:manage-doctor-create"),
            {
                "first_name": "Neha",
                "last_name": "Iyer",
                "email": "neha@hms.example",
                "department": cardiology.pk,
                "specialization": "Heart failure",
                "experience_years": 8,
                "consultation_minutes": 15,
            },
        )

    assert "Dr. Neha Iyer" in admin_client.get(url).text
    assert "2 doctors" in admin_client.get(reverse("clinic:department-list")).text


def test_it_shows_a_renamed_department_at_once(
    admin_client, cardiology, django_capture_on_commit_callbacks
):
    list_url = reverse("clinic:department-list")
    assert "Cardiology" in admin_client.get(list_url).text

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("clinic:manage-department-edit", args=[cardiology.pk]),
            {"name": "Heart Centre", "description": ""},
        )

    text = admin_client.get(list_url).text
    assert "Heart Centre" in text
    assert "Cardiology" not in text


def test_it_moves_a_doctor_between_cached_departments(
    cardiology, django_capture_on_commit_callbacks
):
    neurology = DepartmentFactory(name="Neurology")
    doctor = cardiology.doctors.get()
    selectors.department_doctors(department_id=cardiology.pk)
    selectors.department_doctors(department_id=neurology.pk)

    with django_capture_on_commit_callbacks(execute=True):
        services.doctor_update(
            doctor=doctor,
            email=doctor.user.email,
            first_name="Asha",
            last_name="Rao",
            phone="",
            department=neurology,
            specialization=doctor.specialization,
            qualification="",
            experience_years=1,
            consultation_minutes=15,
            bio="",
            is_accepting_patients=True,
        )

    assert selectors.department_doctors(department_id=cardiology.pk) == []
    assert [d["id"] for d in selectors.department_doctors(department_id=neurology.pk)] == [
        doctor.pk
    ]


def test_it_clears_the_cache_only_after_commit(cardiology, django_capture_on_commit_callbacks):
    selectors.department_directory()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.department_set_active(department=cardiology, is_active=False)
        # Not committed yet: readers still get the committed (old) list.
        assert cache.get(DEPARTMENTS_KEY) is not None

    assert selectors.directory_cache_clear in callbacks
    for callback in callbacks:
        callback()
    assert cache.get(DEPARTMENTS_KEY) is None
    assert selectors.department_directory() == []


def test_it_covers_bulk_changes_through_the_services(django_capture_on_commit_callbacks):
    departments = DepartmentFactory.create_batch(3)
    assert len(selectors.department_directory()) == 3

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for department in departments:
            services.department_set_active(department=department, is_active=False)

    assert selectors.department_directory() == []


def test_it_clears_the_cache_on_edits_outside_the_services(
    cardiology, django_capture_on_commit_callbacks
):
    """The Django admin saves models directly; the signals clear the cache then."""
    doctor = cardiology.doctors.get()
    selectors.department_doctors(department_id=cardiology.pk)

    with django_capture_on_commit_callbacks(execute=True):
        doctor.specialization = "Electrophysiology"
        doctor.save()
    assert selectors.department_doctors(department_id=cardiology.pk)[0]["specialization"] == (
        "Electrophysiology"
    )

    with django_capture_on_commit_callbacks(execute=True):
        user_update(
            user=doctor.user,
            first_name="Ashwini",
            last_name="Rao",
            email=doctor.user.email,
            phone="",
        )
    assert selectors.department_doctors(department_id=cardiology.pk)[0]["name"] == (
        "Dr. Ashwini Rao"
    )


def _booking_page(client, doctor):
    return client.get(reverse("scheduling:appointment-book", args=[doctor.pk]))


def _accepting(doctor, is_accepting_patients: bool, **changes) -> None:
    fields = {
        "doctor": doctor,
        "email": doctor.user.email,
        "first_name": doctor.user.first_name,
        "last_name": doctor.user.last_name,
        "phone": "",
        "department": doctor.department,
        "specialization": doctor.specialization,
        "qualification": "",
        "experience_years": 1,
        "consultation_minutes": 15,
        "bio": "",
        "is_accepting_patients": is_accepting_patients,
    }
    services.doctor_update(**fields | changes)


def test_it_serves_a_bookable_doctor_from_the_cache(cardiology, django_assert_num_queries):
    doctor = cardiology.doctors.get()
    selectors.bookable_doctor(pk=doctor.pk)

    with django_assert_num_queries(0):
        cached = selectors.bookable_doctor(pk=doctor.pk)
        assert str(cached) == "Dr. Asha Rao"
        assert cached.department.slug == cardiology.slug


def test_it_keeps_no_password_hash_in_the_cached_doctor(cardiology):
    doctor = cardiology.doctors.get()
    selectors.bookable_doctor(pk=doctor.pk)

    cached = cache.get(bookable_doctor_key(doctor.pk))[1]
    assert "password" in cached.user.get_deferred_fields()


def test_it_answers_404_once_a_doctor_stops_taking_bookings(
    patient_client, cardiology, django_capture_on_commit_callbacks
):
    doctor = cardiology.doctors.get()
    assert _booking_page(patient_client, doctor).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        _accepting(doctor, False)
    assert _booking_page(patient_client, doctor).status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        _accepting(doctor, True)
    assert _booking_page(patient_client, doctor).status_code == 200


def test_it_answers_404_once_a_doctor_is_disabled(
    patient_client, admin_user, cardiology, django_capture_on_commit_callbacks
):
    doctor = cardiology.doctors.get()
    assert _booking_page(patient_client, doctor).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        services.doctor_disable(doctor=doctor, reason="Left the clinic", by=admin_user)
    assert _booking_page(patient_client, doctor).status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        services.doctor_enable(doctor=doctor, by=admin_user)
    assert _booking_page(patient_client, doctor).status_code == 200


def test_it_answers_404_once_the_department_closes(
    patient_client, cardiology, django_capture_on_commit_callbacks
):
    doctor = cardiology.doctors.get()
    assert _booking_page(patient_client, doctor).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        services.department_set_active(department=cardiology, is_active=False)

    assert _booking_page(patient_client, doctor).status_code == 404


def test_it_answers_404_for_a_deleted_doctor(
    patient_client, cardiology, django_capture_on_commit_callbacks
):
    doctor = cardiology.doctors.get()
    assert _booking_page(patient_client, doctor).status_code == 200

    url = reverse("scheduling:appointment-book", args=[doctor.pk])

    with django_capture_on_commit_callbacks(execute=True):
        doctor.delete()

    assert patient_client.get(url).status_code == 404


def test_it_shows_a_doctors_new_name_and_department_at_once(
    patient_client, cardiology, django_capture_on_commit_callbacks
):
    doctor = cardiology.doctors.get()
    neurology = DepartmentFactory(name="Neurology")
    assert "Book with Dr. Asha Rao" in _booking_page(patient_client, doctor).text

    with django_capture_on_commit_callbacks(execute=True):
        _accepting(doctor, True, first_name="Ashwini", department=neurology)

    text = _booking_page(patient_client, doctor).text
    assert "Book with Dr. Ashwini Rao" in text
    assert "Neurology" in text


def test_it_follows_edits_of_a_bookable_doctor_outside_the_services(
    patient_client, cardiology, django_capture_on_commit_callbacks
):
    doctor = cardiology.doctors.get()
    assert _booking_page(patient_client, doctor).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        doctor.is_accepting_patients = False
        doctor.save()

    assert _booking_page(patient_client, doctor).status_code == 404


def test_it_keeps_the_cached_doctor_until_the_change_commits(
    cardiology, django_capture_on_commit_callbacks
):
    doctor = cardiology.doctors.get()
    selectors.bookable_doctor(pk=doctor.pk)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _accepting(doctor, False)
        # Not committed yet: readers still get the committed (bookable) doctor.
        assert cache.get(bookable_doctor_key(doctor.pk)) is not None

    for callback in callbacks:
        callback()
    assert selectors.bookable_doctor(pk=doctor.pk) is None


def test_it_renders_the_directory_from_the_database_when_redis_is_down(
    patient_client, cardiology, settings
):
    settings.CACHES = CLOSED_PORT_CACHE

    departments = patient_client.get(reverse("clinic:department-list"))
    doctors = patient_client.get(reverse("clinic:department-detail", args=[cardiology.slug]))

    assert departments.status_code == 200
    assert "Cardiology" in departments.text
    assert doctors.status_code == 200
    assert "Dr. Asha Rao" in doctors.text
    booking = _booking_page(patient_client, cardiology.doctors.get())
    assert booking.status_code == 200
    assert "Book with Dr. Asha Rao" in booking.text


def test_it_saves_changes_when_redis_is_down(
    admin_client, cardiology, settings, django_capture_on_commit_callbacks
):
    settings.CACHES = CLOSED_PORT_CACHE

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("clinic:manage-department-create"), {"name": "Neurology", "description": ""}
        )

    assert response.status_code == 302
    assert "Neurology" in admin_client.get(reverse("clinic:department-list")).text


@pytest.mark.redis
@pytest.mark.skipif(not django_settings.REDIS_URL, reason="REDIS_URL is not set (the SQLite leg)")
def test_it_keeps_the_directory_in_the_real_redis(cardiology, django_capture_on_commit_callbacks):
    from django_redis import get_redis_connection

    redis = get_redis_connection("default")
    selectors.department_directory()
    selectors.department_doctors(department_id=cardiology.pk)

    assert redis.exists(cache.make_key(DEPARTMENTS_KEY))
    assert redis.exists(cache.make_key(department_doctors_key(cardiology.pk)))
    assert (
        0
        < redis.ttl(cache.make_key(DEPARTMENTS_KEY))
        <= django_settings.HMS_DIRECTORY_CACHE_SECONDS
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.department_update(department=cardiology, name="Heart Centre", description="")

    assert not redis.exists(cache.make_key(DEPARTMENTS_KEY))
    assert not redis.exists(cache.make_key(department_doctors_key(cardiology.pk)))
    assert selectors.department_directory()[0]["name"] == "Heart Centre"
