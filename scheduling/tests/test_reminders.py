"""Reminders at the lead times: once per appointment and lead time, booked visits only."""

import io

import pytest
from django.core import mail
from django.core.management import call_command

from clinic.tests.factories import PatientFactory
from notifications.models import Notification
from scheduling import services, tasks
from scheduling.tests.factories import book, local

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked_early(open_doctor, patient, clinic_now):
    """Booked on 1 Dec at 08:00: a visit on 3 Dec at 10:00, and one cancelled at 11:00."""
    visit = book(patient, open_doctor, local("2026-12-03 10:00"))
    cancelled = book(PatientFactory(), open_doctor, local("2026-12-03 11:00"))
    services.appointment_cancel(appointment=cancelled, by=cancelled.patient.user)
    return visit, cancelled


def _run(captured, times=1):
    with captured(execute=True):
        counts = [tasks.send_reminders.delay().get() for _ in range(times)]
    return counts


def _reminders():
    return list(Notification.objects.filter(event_key__contains=":reminder:").order_by("id"))


def test_it_sends_nothing_before_the_24_hour_edge(
    booked_early, clinic_now, django_capture_on_commit_callbacks
):
    clinic_now.move_to(local("2026-12-02 09:59"))

    assert _run(django_capture_on_commit_callbacks) == [0]
    assert _reminders() == []


def test_it_reminds_at_24_hours_once(booked_early, clinic_now, django_capture_on_commit_callbacks):
    visit, cancelled = booked_early
    clinic_now.move_to(local("2026-12-02 10:00"))

    assert _run(django_capture_on_commit_callbacks, times=2) == [1, 0]

    (message,) = [m for m in mail.outbox if "Reminder" in m.subject]
    assert message.to == [visit.patient.user.email]
    assert message.subject == "Reminder: your appointment tomorrow at 10:00"
    assert "Thursday 3 December 2026 at 10:00" in message.body
    assert "at 10:00</strong>" in message.alternatives[0][0]
    assert f"/appointments/{visit.pk}/" in message.body
    assert [n.event_key for n in _reminders()] == [f"appointment:{visit.pk}:reminder:24h:0"]
    assert cancelled.patient.user.email not in [
        m.to[0] for m in mail.outbox if "Remind" in m.subject
    ]


def test_it_reminds_at_2_hours_once_more_and_then_never(
    booked_early, clinic_now, django_capture_on_commit_callbacks
):
    visit, _ = booked_early
    clinic_now.move_to(local("2026-12-02 10:00"))
    _run(django_capture_on_commit_callbacks)
    clinic_now.move_to(local("2026-12-03 07:59"))
    assert _run(django_capture_on_commit_callbacks) == [0]  # 2 h 1 min before: not yet

    clinic_now.move_to(local("2026-12-03 08:00"))
    assert _run(django_capture_on_commit_callbacks, times=2) == [1, 0]
    clinic_now.move_to(local("2026-12-03 09:59"))
    assert _run(django_capture_on_commit_callbacks) == [0]

    reminders = [m for m in mail.outbox if m.subject.startswith("Reminder")]
    assert [m.subject for m in reminders] == [
        "Reminder: your appointment tomorrow at 10:00",
        "Reminder: your appointment today at 10:00",
    ]
    assert [(n.event_key, n.status) for n in _reminders()] == [
        (f"appointment:{visit.pk}:reminder:24h:0", Notification.Status.SENT),
        (f"appointment:{visit.pk}:reminder:2h:0", Notification.Status.SENT),
    ]


def test_it_skips_a_lead_time_already_passed_when_the_visit_was_booked(
    open_doctor, patient, clinic_now, django_capture_on_commit_callbacks
):
    visit = book(patient, open_doctor, local("2026-12-01 12:00"))  # 4 hours ahead

    assert _run(django_capture_on_commit_callbacks) == [0]
    clinic_now.move_to(local("2026-12-01 10:00"))
    assert _run(django_capture_on_commit_callbacks) == [1]

    assert [n.event_key for n in _reminders()] == [f"appointment:{visit.pk}:reminder:2h:0"]


def test_it_withdraws_an_unsent_reminder_when_the_visit_is_cancelled(
    booked_early, clinic_now, django_capture_on_commit_callbacks
):
    visit, _ = booked_early
    clinic_now.move_to(local("2026-12-02 10:00"))
    services.reminders_send()  # written, not yet sent (nothing committed)

    services.appointment_cancel(appointment=visit, by=visit.patient.user)

    (reminder,) = _reminders()
    assert reminder.status == Notification.Status.WITHDRAWN


def test_it_reminds_a_moved_visit_of_its_new_time(
    booked_early, clinic_now, django_capture_on_commit_callbacks
):
    visit, _ = booked_early
    clinic_now.move_to(local("2026-12-02 10:00"))
    _run(django_capture_on_commit_callbacks)
    services.appointment_reschedule(
        appointment=visit, start=local("2026-12-03 12:00"), by=visit.patient.user
    )

    clinic_now.move_to(local("2026-12-02 12:00"))
    assert _run(django_capture_on_commit_callbacks, times=2) == [1, 0]

    assert [n.event_key for n in _reminders()] == [
        f"appointment:{visit.pk}:reminder:24h:0",
        f"appointment:{visit.pk}:reminder:24h:1",
    ]


def test_it_sends_none_to_a_patient_who_turned_reminders_off(
    booked_early, clinic_now, django_capture_on_commit_callbacks
):
    visit, _ = booked_early
    visit.patient.user.email_reminders = False
    visit.patient.user.save()
    clinic_now.move_to(local("2026-12-02 10:00"))

    assert _run(django_capture_on_commit_callbacks) == [0]
    assert _reminders() == []


def test_it_follows_the_lead_times_setting(
    booked_early, clinic_now, settings, django_capture_on_commit_callbacks
):
    settings.HMS_REMINDER_LEAD_TIMES = ["30m"]
    visit, _ = booked_early
    clinic_now.move_to(local("2026-12-03 09:29"))
    assert _run(django_capture_on_commit_callbacks) == [0]

    clinic_now.move_to(local("2026-12-03 09:30"))
    assert _run(django_capture_on_commit_callbacks) == [1]

    assert [n.event_key for n in _reminders()] == [f"appointment:{visit.pk}:reminder:30m:0"]


def test_it_runs_by_hand(booked_early, clinic_now, django_capture_on_commit_callbacks):
    clinic_now.move_to(local("2026-12-02 10:00"))
    out = io.StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", stdout=out)
        call_command("send_reminders", stdout=io.StringIO())

    assert "1 reminder written" in out.getvalue()
    assert len([m for m in mail.outbox if m.subject.startswith("Reminder")]) == 1


def test_it_enqueues_thousands_in_a_few_queries(
    open_doctor, clinic_now, django_assert_max_num_queries, settings
):
    """The job's shape, not its size: one query finds the due visits, a few INSERTs
    (3,600 rows each on PostgreSQL; SQLite takes 999 parameters, 55 rows).
    """
    from datetime import timedelta

    from django.db import connection

    from scheduling.models import Appointment

    settings.HMS_CHAT_WEBHOOK_URL = "http://127.0.0.1:9/closed"
    patients = PatientFactory.create_batch(5)
    start = local("2026-12-03 09:00")
    Appointment.objects.bulk_create(
        Appointment(
            patient=patients[i % 5],
            doctor=open_doctor,
            start=start + timedelta(minutes=i),
            end=start + timedelta(minutes=i + 1),
        )
        for i in range(600)
    )  # 09:00 to 18:59 on 3 December
    clinic_now.move_to(local("2026-12-02 19:00"))

    inserts = 1 if connection.vendor == "postgresql" else 22  # 1,200 rows
    with django_assert_max_num_queries(3 + inserts):
        assert services.reminders_send() == 600
    with django_assert_max_num_queries(1):
        assert services.reminders_send() == 0
    assert Notification.objects.filter(channel="email").count() == 600
    assert Notification.objects.filter(channel="chat").count() == 600


def test_it_posts_to_google_chat_once_per_reminder(
    booked_early, clinic_now, webhook, django_capture_on_commit_callbacks
):
    visit, _ = booked_early
    clinic_now.move_to(local("2026-12-02 10:00"))

    _run(django_capture_on_commit_callbacks, times=2)

    (body,) = webhook.received
    assert body["text"].startswith(f"Reminder for {visit.patient.patient_number}")
    assert "tomorrow at 10:00" in body["text"]
    assert len([m for m in mail.outbox if m.subject.startswith("Reminder")]) == 1


def test_it_retries_a_failing_webhook_without_a_second_email(
    booked_early, clinic_now, webhook, django_capture_on_commit_callbacks
):
    from notifications import services as outbox

    webhook.fail = 1  # the first post gets a 500
    clinic_now.move_to(local("2026-12-02 10:00"))
    _run(django_capture_on_commit_callbacks)
    chat = Notification.objects.get(channel="chat")
    assert chat.status == Notification.Status.PENDING
    assert "500" in chat.last_error

    clinic_now.move_to(local("2026-12-02 10:01"))  # the backoff has passed
    outbox.notifications_dispatch()
    outbox.notifications_dispatch()

    chat.refresh_from_db()
    assert (chat.status, chat.attempts) == (Notification.Status.SENT, 2)
    assert len(webhook.received) == 2  # the failed post and its retry
    assert len([m for m in mail.outbox if m.subject.startswith("Reminder")]) == 1
