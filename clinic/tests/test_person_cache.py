"""The signed-in person kept in the cache beside their session
(accounts.person_cache, read by clinic.backends.PersonBackend): no query for
them on a signed-in page, and never a stale copy after any change to them.
"""

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.person_cache import kept_person, person_changed
from accounts.roles import Role
from accounts.services import user_disable, user_update
from accounts.tests.factories import AdminFactory
from clinic import services
from clinic.backends import PersonBackend
from clinic.tests.factories import DepartmentFactory
from clinic.tests.test_directory_cache import CLOSED_PORT_CACHE

pytestmark = pytest.mark.django_db

PING = reverse("clinic:profile-edit")


def _person_queries(captured) -> list[str]:
    table = get_user_model()._meta.db_table
    return [q["sql"] for q in captured.captured_queries if f'FROM "{table}"' in q["sql"]]


def test_a_signed_in_page_reads_the_person_once_then_from_the_cache(patient_client):
    with CaptureQueriesContext(connection) as first:
        assert patient_client.get(PING).status_code == 200
    with CaptureQueriesContext(connection) as second:
        assert patient_client.get(PING).status_code == 200

    assert len(_person_queries(first)) == 1
    assert _person_queries(second) == []


def test_the_kept_person_carries_their_patient_row(patient, django_assert_num_queries):
    PersonBackend().get_user(patient.user.pk)

    with django_assert_num_queries(0):
        user = PersonBackend().get_user(patient.user.pk)
        assert user.patient.pk == patient.pk
        assert user.patient.patient_number == patient.patient_number


def test_the_kept_doctor_carries_their_department(doctor, django_assert_num_queries):
    PersonBackend().get_user(doctor.user.pk)

    with django_assert_num_queries(0):
        user = PersonBackend().get_user(doctor.user.pk)
        assert user.doctor.department.name == doctor.department.name


def test_a_disabled_account_is_signed_out_on_its_next_request(patient_client, patient):
    assert patient_client.get(PING).status_code == 200  # kept now

    user_disable(user=patient.user, reason="Duplicate account", by=AdminFactory())

    response = patient_client.get(PING)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_a_new_password_ends_the_other_sessions(patient_client, patient):
    assert patient_client.get(PING).status_code == 200
    user = get_user_model().objects.get(pk=patient.user.pk)

    user.set_password("a completely new passphrase 42")
    user.save()

    assert patient_client.get(PING).status_code == 302


def test_a_change_of_name_shows_on_the_next_page(patient_client, patient):
    assert patient_client.get(PING).status_code == 200

    user_update(
        user=get_user_model().objects.get(pk=patient.user.pk),
        first_name="Renamed",
        last_name="Person",
        email=patient.user.email,
        phone="",
    )

    assert PersonBackend().get_user(patient.user.pk).first_name == "Renamed"
    assert "Renamed" in patient_client.get(PING).text


def test_a_change_to_the_patient_row_is_read_again(patient):
    PersonBackend().get_user(patient.user.pk)
    patient.allergies = "Penicillin"
    patient.save()

    assert PersonBackend().get_user(patient.user.pk).patient.allergies == "Penicillin"


def test_a_renamed_department_is_read_again_for_its_doctors(doctor):
    PersonBackend().get_user(doctor.user.pk)

    services.department_update(
        department=doctor.department, name="Renamed Department", description=""
    )

    assert PersonBackend().get_user(doctor.user.pk).doctor.department.name == "Renamed Department"


def test_a_moved_doctor_is_read_again(doctor):
    PersonBackend().get_user(doctor.user.pk)
    doctor.department = DepartmentFactory(name="Neurology")
    doctor.save()

    assert PersonBackend().get_user(doctor.user.pk).doctor.department.name == "Neurology"


def test_a_deleted_patient_row_is_not_kept(patient):
    user_id = patient.user.pk
    PersonBackend().get_user(user_id)

    patient.delete()

    user = PersonBackend().get_user(user_id)
    assert user is not None
    assert not hasattr(user, "patient")


def test_a_group_change_from_either_side_is_seen_at_once(patient_client, patient):
    assert patient_client.get(reverse("dashboard")).url == reverse("scheduling:patient-home")
    doctors = Group.objects.get(name=Role.DOCTOR.group_name)

    patient.user.groups.set([doctors])
    assert patient_client.get(reverse("dashboard")).url == reverse("scheduling:doctor-home")

    doctors.user_set.remove(patient.user)
    Group.objects.get(name=Role.PATIENT.group_name).user_set.add(patient.user)
    assert patient_client.get(reverse("dashboard")).url == reverse("scheduling:patient-home")


def test_a_copy_built_while_a_change_commits_is_never_read(
    patient, django_capture_on_commit_callbacks
):
    """A request read the rows just before a change committed: what it keeps
    carries the version of before, so the next request reads the rows again.
    """
    user_id = patient.user.pk
    loads = []

    def load_then_change_commits():
        loads.append(1)
        with django_capture_on_commit_callbacks(execute=True):
            person_changed([user_id])
        return "read before the change"

    assert kept_person(user_id, shape="s", load=load_then_change_commits) == (
        "read before the change"
    )
    assert kept_person(user_id, shape="s", load=lambda: "read after") == "read after"
    assert kept_person(user_id, shape="s", load=lambda: "never read") == "read after"
    assert len(loads) == 1


def test_a_copy_of_another_shape_is_not_read(patient):
    kept_person(patient.user.pk, shape="old release", load=lambda: "old")

    assert kept_person(patient.user.pk, shape="new release", load=lambda: "new") == "new"


def test_an_unknown_or_disabled_person_is_never_kept(patient):
    assert PersonBackend().get_user(10**12) is None
    user = patient.user
    user.is_active = False
    user.save()

    assert PersonBackend().get_user(user.pk) is None
    assert cache.get(f"accounts:person:{user.pk}") is None


def test_nothing_is_kept_when_turned_off(patient, settings, django_assert_num_queries):
    settings.HMS_PERSON_CACHE_SECONDS = 0
    PersonBackend().get_user(patient.user.pk)

    with django_assert_num_queries(1):
        PersonBackend().get_user(patient.user.pk)


def test_with_the_cache_down_every_request_reads_the_person(patient, settings):
    settings.CACHES = CLOSED_PORT_CACHE
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    client = Client()
    client.force_login(patient.user)

    assert client.get(PING).status_code == 200
    person_changed([patient.user.pk])  # nothing to drop, nothing fails
    assert client.get(PING).status_code == 200


@pytest.mark.redis
@pytest.mark.skipif(not django_settings.REDIS_URL, reason="REDIS_URL is not set (the SQLite leg)")
def test_the_person_is_kept_in_the_real_redis_for_a_while(patient):
    from django_redis import get_redis_connection

    redis = get_redis_connection("default")
    PersonBackend().get_user(patient.user.pk)
    key = cache.make_key(f"accounts:person:{patient.user.pk}")

    assert redis.exists(key)
    assert 0 < redis.ttl(key) <= django_settings.HMS_PERSON_CACHE_SECONDS
