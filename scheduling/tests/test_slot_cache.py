"""The booking page's slot grid comes from the cache, and never shows a slot
that a booking, a cancellation, a reschedule or an availability change took
or gave back (each read right after the change).
"""

from datetime import date, time, timedelta
from urllib.parse import quote_plus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clinic.tests.factories import PatientFactory
from scheduling import services
from scheduling.models import AvailabilityException
from scheduling.selectors import Slot
from scheduling.tests.factories import book, local

pytestmark = pytest.mark.django_db

DAY = "2026-12-02"  # Wednesday, inside the booking window of the frozen Tuesday


def _shown(response, at: str) -> bool:
    """Whether the page offers the slot starting at ``at`` (clinic time on DAY)."""
    start = local(f"{DAY} {at}")
    key = Slot(start, start + timedelta(minutes=15)).key
    return f"start={quote_plus(key)}" in response.text


@pytest.fixture
def page(patient_client, open_doctor):
    """Read the doctor's booking page for DAY (the first read fills the cache)."""
    url = reverse("scheduling:appointment-book", args=[open_doctor.pk])

    def read():
        response = patient_client.get(url, {"day": DAY})
        assert response.status_code == 200
        return response

    return read


def test_it_reads_the_grid_from_the_cache(page):
    page()

    with CaptureQueriesContext(connection) as captured:
        response = page()

    assert _shown(response, "09:00")
    assert not any("scheduling_" in q["sql"] for q in captured.captured_queries)


def test_it_never_shows_a_slot_just_booked(page, open_doctor, django_capture_on_commit_callbacks):
    assert _shown(page(), "09:00")

    with django_capture_on_commit_callbacks(execute=True):
        book(PatientFactory(), open_doctor, local(f"{DAY} 09:00"))

    after = page()
    assert not _shown(after, "09:00")
    assert _shown(after, "09:15")


def test_it_shows_a_slot_again_once_cancelled(
    page, open_doctor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        appointment = book(PatientFactory(), open_doctor, local(f"{DAY} 09:00"))
    assert not _shown(page(), "09:00")

    with django_capture_on_commit_callbacks(execute=True):
        services.appointment_cancel(appointment=appointment, by=appointment.patient.user)

    assert _shown(page(), "09:00")


def test_it_follows_a_reschedule(page, open_doctor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        appointment = book(PatientFactory(), open_doctor, local(f"{DAY} 09:00"))
    before = page()
    assert not _shown(before, "09:00")
    assert _shown(before, "10:00")

    with django_capture_on_commit_callbacks(execute=True):
        services.appointment_reschedule(
            appointment=appointment, start=local(f"{DAY} 10:00"), by=appointment.patient.user
        )

    after = page()
    assert _shown(after, "09:00")
    assert not _shown(after, "10:00")


def test_it_follows_availability_changes(page, open_doctor, django_capture_on_commit_callbacks):
    assert _shown(page(), "12:45")

    with django_capture_on_commit_callbacks(execute=True):
        services.exception_add(
            doctor=open_doctor,
            date=date.fromisoformat(DAY),
            kind=AvailabilityException.Kind.LEAVE,
        )
    closed = page()
    assert not _shown(closed, "09:00")
    assert 'id="no-slots"' in closed.text

    with django_capture_on_commit_callbacks(execute=True):
        services.exception_remove(exception=open_doctor.exceptions.get())
        services.weekly_block_add(
            doctor=open_doctor, weekday=2, start_time=time(14, 0), end_time=time(15, 0)
        )
    reopened = page()
    assert _shown(reopened, "09:00")
    assert _shown(reopened, "14:00")


def test_it_applies_the_lead_time_to_a_cached_grid(page, clinic_now):
    # Tomorrow 09:00 is offered; an hour before it, it no longer is (lead time 60 min).
    assert _shown(page(), "09:00")

    clinic_now.move_to(local(f"{DAY} 08:30"))

    later = page()
    assert not _shown(later, "09:00")
    assert _shown(later, "09:30")
