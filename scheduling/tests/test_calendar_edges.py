"""Dates at the edge of the calendar (year 1, year 9999): a clear message, never a 500."""

import pytest
from django.test import Client
from django.urls import reverse

from scheduling.models import Appointment, AvailabilityException
from scheduling.services import SLOT_GONE
from scheduling.tests.factories import book, local

pytestmark = pytest.mark.django_db

# Starts whose day, or the day after, or the clinic's zone, is outside Python's dates.
EDGES = [
    "9999-12-31T23:59:00",
    "9999-12-31T23:59:00+05:30",
    "9999-12-31T23:59:59-12:00",
    "0001-01-01T00:00:00",
    "0001-01-01T00:00:00+05:30",
    "0001-01-01T00:00:00+14:00",
]


@pytest.fixture
def patient_browser(patient):
    client = Client(raise_request_exception=False)
    client.force_login(patient.user)
    return client


@pytest.mark.parametrize("start", EDGES)
def test_it_refuses_to_reschedule_to_the_edge_of_the_calendar(
    patient_browser, patient, open_doctor, start
):
    appointment = book(patient, open_doctor, local("2026-12-02 10:00"))

    response = patient_browser.post(
        reverse("scheduling:appointment-reschedule", args=[appointment.pk]), {"start": start}
    )

    assert response.status_code == 422
    assert str(SLOT_GONE) in response.text
    appointment.refresh_from_db()
    assert appointment.start == local("2026-12-02 10:00")


@pytest.mark.parametrize("start", EDGES)
def test_it_refuses_to_book_at_the_edge_of_the_calendar(patient_browser, open_doctor, start):
    response = patient_browser.post(
        reverse("scheduling:appointment-book", args=[open_doctor.pk]), {"start": start}
    )

    assert response.status_code == 422
    assert str(SLOT_GONE) in response.text
    assert not Appointment.objects.exists()


@pytest.mark.parametrize("day", ["9999-12-31", "2028-12-01"])
@pytest.mark.parametrize("kind", ["leave", "holiday", "changed_hours"])
def test_it_refuses_an_exception_beyond_the_planning_horizon(doctor_client, open_doctor, day, kind):
    response = doctor_client.post(
        reverse("scheduling:availability"),
        {
            "exception-date": day,
            "exception-kind": kind,
            "exception-start_time": "09:00",
            "exception-end_time": "10:00",
        },
    )

    assert response.status_code == 422
    assert "Choose a date within the next 730 days." in response.text
    assert not AvailabilityException.objects.exists()


def test_it_accepts_an_exception_on_the_last_day_of_the_horizon(doctor_client, open_doctor):
    response = doctor_client.post(
        reverse("scheduling:availability"),
        {"exception-date": "2028-11-30", "exception-kind": "leave"},
    )

    assert response.status_code == 302
    assert AvailabilityException.objects.get().date.isoformat() == "2028-11-30"
