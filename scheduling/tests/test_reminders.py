"""Daily reminders: today's booked visits only, exactly once, on every channel."""

import io
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from clinic.tests.factories import DoctorFactory, PatientFactory
from scheduling import selectors, services, tasks
from scheduling.models import Appointment, Reminder
from scheduling.tests.factories import book, local, open_every_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def day_of_visits(open_doctor, patient):
    """Two booked visits today, one cancelled today, one booked tomorrow."""
    today = [
        book(patient, open_doctor, local("2026-12-01 10:00")),
        book(PatientFactory(), open_doctor, local("2026-12-01 11:30")),
    ]
    cancelled = book(PatientFactory(), open_doctor, local("2026-12-01 12:00"))
    services.appointment_cancel(appointment=cancelled, by=cancelled.patient.user)
    tomorrow = book(PatientFactory(), open_doctor, local("2026-12-02 10:00"))
    return today, cancelled, tomorrow


def test_it_reminds_each_booked_visit_of_today_once(day_of_visits):
    today, cancelled, tomorrow = day_of_visits

    tasks.send_daily_reminders.delay()
    tasks.send_daily_reminders.delay()

    assert sorted(m.to[0] for m in mail.outbox) == sorted(a.patient.user.email for a in today)
    assert cancelled.patient.user.email not in [m.to[0] for m in mail.outbox]
    assert tomorrow.patient.user.email not in [m.to[0] for m in mail.outbox]
    message = next(m for m in mail.outbox if m.to == [today[0].patient.user.email])
    assert message.subject == "Reminder: your appointment today at 10:00"
    assert "Tuesday 1 December 2026 at 10:00" in message.body
    assert "at 10:00</strong>" in message.alternatives[0][0]
    assert Reminder.objects.filter(sent_at__isnull=False).count() == 2


def test_it_runs_by_hand_for_a_given_date(day_of_visits):
    _, _, tomorrow = day_of_visits
    out = io.StringIO()

    call_command("send_reminders", "--date", "2026-12-02", stdout=out)
    call_command("send_reminders", "--date", "2026-12-02", stdout=io.StringIO())

    assert [m.to for m in mail.outbox] == [[tomorrow.patient.user.email]]
    assert "1 reminder(s)" in out.getvalue()


def test_it_sends_nothing_for_a_visit_cancelled_after_the_job_found_it(day_of_visits):
    today, _, _ = day_of_visits
    services.appointment_cancel(
        appointment=today[0], by=today[0].patient.user, now=local("2026-12-01 06:00")
    )

    sent = services.reminder_send(appointment_id=today[0].pk, channel=Reminder.Channel.EMAIL)

    assert sent is False
    assert mail.outbox == []


def test_it_retakes_a_claim_left_by_a_worker_that_died(day_of_visits):
    appointment = day_of_visits[0][0]
    Reminder.objects.create(
        appointment=appointment,
        channel=Reminder.Channel.EMAIL,
        claimed_at=timezone.now() - timedelta(hours=1),
    )
    fresh = day_of_visits[0][1]
    Reminder.objects.create(appointment=fresh, channel=Reminder.Channel.EMAIL)

    assert services.reminder_send(appointment_id=appointment.pk, channel="email") is True
    assert services.reminder_send(appointment_id=fresh.pk, channel="email") is False
    assert [m.to for m in mail.outbox] == [[appointment.patient.user.email]]


class _Webhook(BaseHTTPRequestHandler):
    """A stand-in Google Chat space: answers 500 to the first `fail` posts."""

    received: list
    fail: int

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        server = self.server
        server.received.append(body)
        status = 500 if len(server.received) <= server.fail else 200
        self.send_response(status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def webhook(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Webhook)
    server.received, server.fail = [], 0
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.HMS_CHAT_WEBHOOK_URL = f"http://127.0.0.1:{server.server_port}/v1/spaces/x/messages"
    yield server
    server.shutdown()
    server.server_close()


def test_it_posts_to_google_chat_once_per_visit(day_of_visits, webhook):
    today, _, _ = day_of_visits

    tasks.send_daily_reminders.delay()
    tasks.send_daily_reminders.delay()

    texts = sorted(body["text"] for body in webhook.received)
    assert len(texts) == 2
    assert f"Reminder for {today[0].patient.patient_number}" in texts[0]
    assert "today at 10:00" in texts[0]
    assert len(mail.outbox) == 2


def test_it_retries_a_failing_webhook_without_a_second_email(day_of_visits, webhook):
    webhook.fail = 1  # the first post gets a 500

    appointment_id = day_of_visits[0][0].pk

    # apply() runs the task here the way a worker would, its retry included.
    email = tasks.send_reminder.apply((appointment_id, Reminder.Channel.EMAIL), throw=False)
    chat = tasks.send_reminder.apply((appointment_id, Reminder.Channel.CHAT), throw=False)

    assert (email.result, chat.result) == (True, True)

    assert len(webhook.received) == 2  # the failed post and its retry
    assert len(mail.outbox) == 1
    assert Reminder.objects.filter(sent_at__isnull=False).count() == 2


def test_it_keeps_sending_the_others_when_one_fails_for_good(day_of_visits, settings):
    settings.HMS_CHAT_WEBHOOK_URL = "http://127.0.0.1:9/closed"  # nothing listens on port 9

    tasks.send_daily_reminders.delay()

    assert len(mail.outbox) == 2
    assert not Reminder.objects.filter(channel=Reminder.Channel.CHAT).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_sends_once_when_two_workers_run_at_the_same_moment():
    from django.db import connection

    doctor = DoctorFactory()
    open_every_day(doctor)
    now = timezone.now()
    days = selectors.free_slots(doctor=doctor, now=now)
    slot = next(s for slots in days.values() for s in slots)
    appointment = services.appointment_book(
        patient=PatientFactory(), doctor=doctor, start=slot.start, now=now
    )
    barrier = threading.Barrier(2)
    results = []

    def worker():
        try:
            barrier.wait(timeout=10)
            results.append(services.reminder_send(appointment_id=appointment.pk, channel="email"))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert sorted(results) == [False, True]
    assert len(mail.outbox) == 1
    assert Appointment.objects.get().reminders.count() == 1
