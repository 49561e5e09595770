"""The availability page: a doctor's usual week and dated exceptions."""

from datetime import time

import pytest
from django.urls import reverse

from scheduling.models import Appointment, AvailabilityException, WeeklyAvailability
from scheduling.tests.factories import book, local

pytestmark = pytest.mark.django_db

PAGE = reverse("scheduling:availability")


def test_it_adds_a_weekly_block(doctor_client, doctor, clinic_now):
    response = doctor_client.post(
        PAGE,
        {"block-weekday": 0, "block-start_time": "09:00", "block-end_time": "12:30"},
        follow=True,
    )

    block = WeeklyAvailability.objects.get(doctor=doctor)
    assert (block.weekday, block.start_time, block.end_time) == (0, time(9), time(12, 30))
    assert "Weekly hours added." in response.text
    assert "09:00\N{EN DASH}12:30" in response.text


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("12:00", "09:00", "The block must end after it starts."),
        ("11:00", "14:00", "This block overlaps Monday 09:00-12:00."),
        ("", "14:00", "This field is required."),
    ],
)
def test_it_explains_a_bad_block(doctor_client, doctor, clinic_now, start, end, message):
    from scheduling import services

    services.weekly_block_add(doctor=doctor, weekday=0, start_time=time(9), end_time=time(12))

    response = doctor_client.post(
        PAGE, {"block-weekday": 0, "block-start_time": start, "block-end_time": end}
    )

    assert response.status_code == 422
    assert message in response.text
    assert WeeklyAvailability.objects.filter(doctor=doctor).count() == 1


def test_it_removes_a_block(doctor_client, open_doctor):
    block = open_doctor.weekly_blocks.first()

    doctor_client.post(reverse("scheduling:availability-block-delete", args=[block.pk]))

    assert not WeeklyAvailability.objects.filter(pk=block.pk).exists()


LEAVE = {"exception-date": "2026-12-04", "exception-kind": "leave", "exception-note": "Conference"}


def test_it_lists_the_booked_visits_before_saving_leave_over_them(
    doctor_client, open_doctor, patient
):
    visit = book(patient, open_doctor, local("2026-12-04 10:00"))

    response = doctor_client.post(PAGE, LEAVE)

    assert response.status_code == 422
    assert not AvailabilityException.objects.exists()
    assert "1 booked appointment falls outside the hours of that day" in response.text
    assert f"10:00 {visit.patient}" in response.text
    assert "Cancel them and tell the patients" in response.text
    assert "Choose what happens to these appointments." in response.text


def test_it_keeps_the_visits_when_told_to(doctor_client, open_doctor, patient):
    visit = book(patient, open_doctor, local("2026-12-04 10:00"))

    response = doctor_client.post(PAGE, {**LEAVE, "exception-affected": "keep"}, follow=True)

    exception = AvailabilityException.objects.get(doctor=open_doctor)
    assert (exception.kind, exception.start_time) == ("leave", None)
    assert "Leave added." in response.text
    assert "1 booked appointment on 4 December is kept" in response.text
    assert "Conference" in response.text
    visit.refresh_from_db()
    assert visit.status == Appointment.Status.BOOKED


def test_it_cancels_exactly_the_affected_visits_and_tells_each_patient_once(
    doctor_client, open_doctor, django_capture_on_commit_callbacks
):
    from django.core import mail

    from clinic.tests.factories import PatientFactory

    inside = book(PatientFactory(), open_doctor, local("2026-12-04 09:30"))
    outside = [
        book(PatientFactory(), open_doctor, local("2026-12-04 11:00")),
        book(PatientFactory(), open_doctor, local("2026-12-04 12:30")),
    ]
    other_day = book(PatientFactory(), open_doctor, local("2026-12-05 11:00"))
    mail.outbox.clear()
    hours = {
        "exception-date": "2026-12-04",
        "exception-kind": "changed_hours",
        "exception-start_time": "09:00",
        "exception-end_time": "10:00",
        "exception-affected": "cancel",
    }

    missing = doctor_client.post(PAGE, hours)
    with django_capture_on_commit_callbacks(execute=True):
        response = doctor_client.post(
            PAGE, {**hours, "exception-cancel_reason": "Dr. away after 10"}, follow=True
        )

    assert missing.status_code == 422
    assert "Please tell the patients why." in missing.text
    assert "2 appointments cancelled; each patient is told." in response.text
    statuses = {
        a.pk: a.status
        for a in Appointment.objects.filter(
            pk__in=[inside.pk, other_day.pk, *[o.pk for o in outside]]
        )
    }
    assert statuses == {
        inside.pk: "booked",
        other_day.pk: "booked",
        outside[0].pk: "cancelled",
        outside[1].pk: "cancelled",
    }
    assert sorted(m.to[0] for m in mail.outbox) == sorted(o.patient.user.email for o in outside)
    for message in mail.outbox:
        assert "Reason: Dr. away after 10" in message.body
        assert f"/book/{open_doctor.pk}/" in message.body


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"exception-date": "2026-11-30", "exception-kind": "leave"},
            "Choose today or a later date.",
        ),
        (
            {"exception-date": "2026-12-04", "exception-kind": "changed_hours"},
            "Give the hours the doctor works that day.",
        ),
        (
            {
                "exception-date": "2026-12-04",
                "exception-kind": "changed_hours",
                "exception-start_time": "15:00",
                "exception-end_time": "14:00",
            },
            "The hours must end after they start.",
        ),
        ({"exception-date": "", "exception-kind": "leave"}, "This field is required."),
    ],
)
def test_it_explains_a_bad_exception(doctor_client, doctor, clinic_now, data, message):
    response = doctor_client.post(PAGE, data)

    assert response.status_code == 422
    assert message in response.text
    assert not AvailabilityException.objects.exists()


def test_it_lets_an_admin_edit_any_doctors_hours(admin_client, doctor, clinic_now):
    url = reverse("scheduling:availability-doctor", args=[doctor.pk])

    listing = admin_client.get(
        reverse("scheduling:availability-doctors"), {"q": doctor.user.last_name}
    )
    admin_client.post(
        url, {"block-weekday": 2, "block-start_time": "16:00", "block-end_time": "18:00"}
    )

    assert url in listing.text
    assert WeeklyAvailability.objects.filter(doctor=doctor, weekday=2).exists()
