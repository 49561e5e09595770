"""Booking from the patient's side: choose a department, a doctor, a day, a slot."""

from datetime import timedelta
from urllib.parse import quote

import pytest
from django.urls import reverse

from accounts.roles import Role
from accounts.services import user_create
from clinic.models import Doctor
from clinic.tests.factories import DoctorFactory, PatientFactory
from scheduling.models import PATIENT_BUSY, SLOT_TAKEN, Appointment
from scheduling.selectors import Slot
from scheduling.services import SLOT_GONE
from scheduling.tests.factories import book, local, open_every_day

pytestmark = pytest.mark.django_db


def _key(text: str) -> str:
    start = local(text)
    return Slot(start, start + timedelta(minutes=15)).key


def _book_url(doctor):
    return reverse("scheduling:appointment-book", args=[doctor.pk])


def test_it_lists_departments_then_their_bookable_doctors(patient_client, open_doctor):
    closed = DoctorFactory(department=open_doctor.department)
    closed.is_accepting_patients = False
    closed.save()

    start = patient_client.get(reverse("scheduling:book-start"))
    chosen = patient_client.get(
        reverse("scheduling:book-start"), {"department": open_doctor.department.slug}
    )

    assert open_doctor.department.name in start.text
    assert str(open_doctor) in chosen.text
    assert str(closed) not in chosen.text
    assert _book_url(open_doctor) in chosen.text


def test_it_shows_the_days_and_the_first_days_free_slots(patient_client, open_doctor):
    response = patient_client.get(_book_url(open_doctor))

    assert response.status_code == 200
    assert "Tue 1 Dec" in response.text
    assert "Mon 14 Dec" in response.text  # HMS_BOOKING_DAYS: 14 days, today included
    assert "Tue 15 Dec" not in response.text
    assert ">09:00</a>" in response.text
    assert ">12:45</a>" in response.text


def test_it_loads_a_days_slots_as_an_htmx_fragment(patient_client, open_doctor, patient):
    book(patient, open_doctor, local("2026-12-03 10:00"))

    response = patient_client.get(
        _book_url(open_doctor), {"day": "2026-12-03"}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.text.lstrip().startswith('<div id="slot-picker">')
    assert "Thursday 3 December" in response.text
    assert ">09:45</a>" in response.text
    assert ">10:00</a>" not in response.text


def test_it_shows_the_confirm_panel_for_a_chosen_slot(patient_client, open_doctor):
    params = {"day": "2026-12-02", "start": _key("2026-12-02 09:30")}

    page = patient_client.get(_book_url(open_doctor), params)
    fragment = patient_client.get(_book_url(open_doctor), params, headers={"HX-Request": "true"})

    for response in (page, fragment):
        assert "Wednesday 2 December, 09:30\N{EN DASH}09:45" in response.text
        assert "Confirm booking" in response.text
    assert fragment.text.lstrip().startswith('<div id="slot-picker">')
    assert "<html" not in fragment.text
    # The chosen slot is pressed, and only that one.
    for response in (page, fragment):
        assert response.text.count('aria-pressed="true"') == 1
        pressed = response.text.split('aria-pressed="true"')[1].split("</a>")[0]
        assert pressed.endswith(">09:30")


def test_it_says_a_past_day_is_past_and_offers_the_first_open_day(patient_client, open_doctor):
    response = patient_client.get(_book_url(open_doctor), {"day": "2026-11-20"})

    assert "Friday 20 November 2026 is in the past." in response.text
    assert "not open for booking yet" not in response.text
    assert 'aria-current="date"' in response.text.split("Tue 1 Dec")[0]  # today, chosen


def test_it_says_a_doctor_without_hours_has_no_free_times_and_links_the_department(
    patient_client, doctor, clinic_now
):
    response = patient_client.get(_book_url(doctor))

    assert response.status_code == 200
    assert f"{doctor} has no free times in the next 14 days" in response.text
    department = reverse("clinic:department-detail", args=[doctor.department.slug])
    assert f'href="{department}"' in response.text
    assert "Please try another day" not in response.text
    assert 'aria-label="Days"' not in response.text  # no row of empty days


def test_it_books_a_free_slot_and_says_so(patient_client, open_doctor, patient):
    response = patient_client.post(
        _book_url(open_doctor),
        {"start": _key("2026-12-02 09:30"), "reason": "Chest pain when climbing stairs"},
        follow=True,
    )

    appointment = Appointment.objects.get()
    assert appointment.patient == patient
    assert appointment.doctor == open_doctor
    assert appointment.start == local("2026-12-02 09:30")
    assert appointment.end == local("2026-12-02 09:45")
    assert appointment.status == Appointment.Status.BOOKED
    assert appointment.reason == "Chest pain when climbing stairs"
    assert response.redirect_chain == [(reverse("scheduling:patient-home"), 302)]
    assert "Booked:" in response.text
    assert "Wed 2 Dec 2026, 09:30" in response.text


def test_it_refuses_a_taken_slot_with_the_clear_message(patient_client, open_doctor):
    book(PatientFactory(), open_doctor, local("2026-12-02 09:30"))

    response = patient_client.post(_book_url(open_doctor), {"start": _key("2026-12-02 09:30")})

    assert response.status_code == 422
    assert str(SLOT_TAKEN) in response.text
    assert Appointment.objects.count() == 1


def test_it_refuses_a_second_appointment_of_the_patient_at_the_same_time(
    patient_client, open_doctor, patient
):
    other = DoctorFactory()
    open_every_day(other)
    book(patient, other, local("2026-12-02 09:30"))

    response = patient_client.post(_book_url(open_doctor), {"start": _key("2026-12-02 09:30")})

    assert response.status_code == 422
    assert str(PATIENT_BUSY) in response.text
    assert Appointment.objects.count() == 1


@pytest.mark.parametrize(
    "start",
    [
        "2026-12-02 08:30",  # before opening
        "2026-12-01 13:00",  # after closing
        "2026-12-01 09:05",  # not on a slot boundary
        "2026-12-15 09:00",  # past the 14-day window
        "2026-11-30 09:00",  # in the past
    ],
)
def test_it_refuses_a_time_that_is_no_slot(patient_client, open_doctor, start):
    response = patient_client.post(_book_url(open_doctor), {"start": local(start).isoformat()})

    assert response.status_code == 422
    assert str(SLOT_GONE) in response.text
    assert not Appointment.objects.exists()


def test_it_refuses_a_slot_inside_the_lead_time(patient_client, open_doctor, clinic_now):
    clinic_now.move_to(local("2026-12-01 09:10"))

    response = patient_client.post(_book_url(open_doctor), {"start": _key("2026-12-01 09:45")})

    assert response.status_code == 422
    assert "Appointments must be booked at least 60 minutes ahead" in response.text
    assert not Appointment.objects.exists()


def test_it_asks_for_a_slot_when_none_is_posted(patient_client, open_doctor):
    response = patient_client.post(_book_url(open_doctor), {"start": "", "reason": "x"})

    assert response.status_code == 422
    assert not Appointment.objects.exists()


def test_it_hides_a_doctor_who_does_not_take_bookings(patient_client, open_doctor):
    open_doctor.is_accepting_patients = False
    open_doctor.save()

    response = patient_client.post(_book_url(open_doctor), {"start": _key("2026-12-02 09:30")})

    assert response.status_code == 404
    assert not Appointment.objects.exists()


def test_it_hides_a_disabled_doctor(patient_client, open_doctor):
    open_doctor.user.is_active = False
    open_doctor.user.save()

    assert patient_client.get(_book_url(open_doctor)).status_code == 404


def test_it_refuses_a_disabled_patient_in_the_service(open_doctor, patient):
    from django.core.exceptions import ValidationError

    patient.user.is_active = False
    patient.user.save()

    with pytest.raises(ValidationError, match="disabled"):
        book(patient, open_doctor, local("2026-12-02 09:30"))
    assert not Appointment.objects.exists()


def test_it_keeps_doctors_from_booking(client, open_doctor):
    user = user_create(
        email="doctor@hms.example", first_name="A", last_name="B", role=Role.DOCTOR,
        password="x" * 12,
    )  # fmt: skip
    client.force_login(user)

    assert client.get(_book_url(open_doctor)).status_code == 403
    assert client.get(reverse("scheduling:book-start")).status_code == 403


@pytest.mark.parametrize("role", ["admin", "reception"])
def test_it_sends_the_front_desk_to_find_the_patient_first(client, open_doctor, role):
    user = user_create(
        email=f"{role}@hms.example", first_name="A", last_name="B", role=Role(role),
        password="x" * 12,
    )  # fmt: skip
    client.force_login(user)

    for url in (_book_url(open_doctor), reverse("scheduling:book-start")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("scheduling:desk")


def test_it_sends_anonymous_visitors_to_sign_in(client, open_doctor):
    response = client.get(_book_url(open_doctor))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_it_offers_booking_from_the_doctors_profile(patient_client, open_doctor):
    response = patient_client.get(reverse("clinic:doctor-detail", args=[open_doctor.pk]))

    assert _book_url(open_doctor) in response.text
    assert "See free slots and book" in response.text


def test_it_offers_only_departments_with_a_bookable_doctor(patient_client, open_doctor):
    closed = DoctorFactory()
    Doctor.objects.filter(pk=closed.pk).update(is_accepting_patients=False)
    empty = closed.department

    start = patient_client.get(reverse("scheduling:book-start"))
    home = patient_client.get(reverse("scheduling:patient-home"))

    for response in (start, home):
        assert f"?department={open_doctor.department.slug}" in response.text
        assert f"?department={empty.slug}" not in response.text


def test_it_offers_the_departments_next_available_slot_in_one_click(
    patient_client, open_doctor, clinic_now
):
    later = DoctorFactory(department=open_doctor.department)
    open_every_day(later, "14:00", "16:00")
    # At noon the open doctor's day (09:00-13:00) is within the lead time: the
    # other doctor's 14:00 today comes before the open doctor's 09:00 tomorrow.
    clinic_now.move_to(local("2026-12-01 12:00"))
    department = open_doctor.department.slug

    start = patient_client.get(reverse("scheduling:book-start"), {"department": department})
    swap = patient_client.get(
        reverse("scheduling:next-available"), {"department": department},
        headers={"HX-Request": "true"},
    )  # fmt: skip
    listing = patient_client.get(reverse("clinic:department-detail", args=[department]))

    book_url = f"{_book_url(later)}?day=2026-12-01&start={quote(_key('2026-12-01 14:00'))}"
    for response in (start, swap):
        card = response.text.split('id="next-available"')[1].split("</a>")[0]
        assert "Tuesday 1 December, 14:00" in card
        assert str(later) in card
        assert f'href="{book_url.replace("&", "&amp;")}"' in card
    assert swap.text.lstrip().startswith('<div class="card border-success mb-3"')
    next_url = f"{reverse('scheduling:next-available')}?department={department}"
    assert f'hx-get="{next_url}"' in listing.text
    chosen = patient_client.get(book_url)
    assert 'aria-pressed="true"' in chosen.text
    assert "Confirm booking" in chosen.text
