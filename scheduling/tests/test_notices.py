"""Patients are told of every booking, move and cancellation, with a calendar entry."""

from datetime import UTC

import pytest
from django.core import mail
from icalendar import Calendar

from clinic.tests.factories import TreatmentFactory
from notifications.models import Notification
from scheduling import services
from scheduling.tests.factories import book, local

pytestmark = pytest.mark.django_db


def _ics(message):
    (attachment,) = message.attachments
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_filename() == "appointment.ics"
    calendar = Calendar.from_ical(attachment.get_payload(decode=True))
    assert attachment.get_param("method") == str(calendar["METHOD"])
    (event,) = calendar.walk("VEVENT")
    return calendar, event


@pytest.fixture
def journey(open_doctor, patient, django_capture_on_commit_callbacks):
    """The patient books, moves and cancels: the three e-mails."""
    with django_capture_on_commit_callbacks(execute=True):
        appointment = book(patient, open_doctor, local("2026-12-02 10:00"), reason="Chest pain")
        services.appointment_reschedule(
            appointment=appointment, start=local("2026-12-03 11:00"), by=patient.user
        )
        services.appointment_cancel(appointment=appointment, by=open_doctor.user, reason="Unwell")
    return appointment, mail.outbox


def test_it_sends_three_notices_each_once(journey, patient):
    appointment, messages = journey

    assert [m.to for m in messages] == [[patient.user.email]] * 3
    assert [m.subject for m in messages] == [
        "Booked: your appointment on 2 Dec 2026 at 10:00",
        "Moved: your appointment is now on 3 Dec 2026 at 11:00",
        "Cancelled: your appointment on 3 Dec 2026 at 11:00",
    ]
    link = f"http://127.0.0.1:8000/appointments/{appointment.pk}/"
    assert link in messages[0].body
    assert f'href="{link}"' in messages[0].alternatives[0][0]
    assert "Was: Wednesday 2 December 2026 at 10:00" in messages[1].body
    assert "Now: Thursday 3 December 2026 at 11:00" in messages[1].body
    assert f"cancelled by {appointment.doctor}." in messages[2].body
    assert "Reason: Unwell" in messages[2].body
    rebook = f"http://127.0.0.1:8000/book/{appointment.doctor.pk}/"
    assert rebook in messages[2].body
    assert Notification.objects.filter(status=Notification.Status.SENT).count() == 3


def test_it_attaches_a_calendar_entry_that_updates_itself(journey):
    appointment, messages = journey

    parsed = [_ics(m) for m in messages]

    assert [str(c["METHOD"]) for c, _ in parsed] == ["REQUEST", "REQUEST", "CANCEL"]
    assert len({str(e["UID"]) for _, e in parsed}) == 1
    assert str(parsed[0][1]["UID"]) == f"appointment-{appointment.pk}@127.0.0.1"
    assert [int(e["SEQUENCE"]) for _, e in parsed] == [0, 1, 2]
    assert [str(e["STATUS"]) for _, e in parsed] == ["CONFIRMED", "CONFIRMED", "CANCELLED"]
    starts = [e.decoded("DTSTART") for _, e in parsed]
    assert starts[0] == local("2026-12-02 10:00").astimezone(UTC)
    assert starts[1] == starts[2] == local("2026-12-03 11:00").astimezone(UTC)
    assert starts[0].tzinfo is not None
    assert parsed[1][1].decoded("DTEND") == local("2026-12-03 11:15").astimezone(UTC)


def test_it_tells_a_patient_who_cancelled_themself_without_a_reason(
    open_doctor, patient, django_capture_on_commit_callbacks
):
    appointment = book(patient, open_doctor, local("2026-12-02 10:00"))

    with django_capture_on_commit_callbacks(execute=True):
        services.appointment_cancel(appointment=appointment, by=patient.user, reason="Busy")

    (message,) = mail.outbox
    assert "has been cancelled by you." in message.body
    assert "Busy" not in message.body


def test_it_puts_no_clinical_detail_in_any_notice(
    open_doctor, patient, clinic_now, django_capture_on_commit_callbacks
):
    TreatmentFactory(patient=patient, doctor=open_doctor, diagnosis="Essential hypertension")
    with django_capture_on_commit_callbacks(execute=True):
        appointment = book(patient, open_doctor, local("2026-12-02 10:00"), reason="Chest pain")
        clinic_now.move_to(local("2026-12-01 10:00"))
        services.reminders_send()
    with django_capture_on_commit_callbacks(execute=True):
        services.appointment_reschedule(
            appointment=appointment, start=local("2026-12-03 11:00"), by=patient.user
        )
        services.appointment_cancel(appointment=appointment, by=open_doctor.user, reason="Unwell")

    rows = list(Notification.objects.all())
    assert len(rows) == 4  # booked, reminder, moved, cancelled
    for row in rows:
        for text in (row.subject, row.body_text, row.body_html, row.attachment):
            assert "hypertension" not in text.lower()
            assert "chest pain" not in text.lower()
    assert len(mail.outbox) == 4
