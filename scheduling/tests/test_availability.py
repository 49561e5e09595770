"""The availability page: a doctor's usual week and dated exceptions."""

from datetime import time

import pytest
from django.urls import reverse

from scheduling.models import AvailabilityException, WeeklyAvailability
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


def test_it_adds_leave_and_warns_of_booked_visits_that_day(doctor_client, open_doctor, patient):
    book(patient, open_doctor, local("2026-12-04 10:00"))

    response = doctor_client.post(
        PAGE,
        {"exception-date": "2026-12-04", "exception-kind": "leave", "exception-note": "Conference"},
        follow=True,
    )

    exception = AvailabilityException.objects.get(doctor=open_doctor)
    assert exception.kind == "leave"
    assert exception.start_time is None
    assert "Leave added." in response.text
    assert "1 booked appointment(s) on 4 December are not cancelled" in response.text
    assert "Conference" in response.text


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
