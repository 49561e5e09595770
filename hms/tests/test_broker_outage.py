"""With the Celery broker down, every action that enqueues work still succeeds,
and the work is done once after the broker is back (the beat sweeps).

The broker is a real Redis address where nothing listens (port 9), as the
/healthz test does for the cache: enqueueing really fails.
"""

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from hms.celery import app
from notifications import services as outbox
from notifications.models import Notification
from reports import services as reports_services
from reports.models import ExportJob
from scheduling.models import Appointment
from scheduling.tests.factories import book, local

pytestmark = pytest.mark.django_db


def _reset_broker_connections():
    # Celery makes its connection and producer pools on first use, for the
    # broker_url of that moment: drop them so the next publish uses the new one.
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker_down():
    saved = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url = "redis://127.0.0.1:9/0"
    app.conf.task_always_eager = False
    _reset_broker_connections()
    yield
    app.conf.broker_url, app.conf.task_always_eager = saved
    _reset_broker_connections()


def _broker_back():
    app.conf.task_always_eager = True  # the workers run again (in-process here)


def test_it_books_and_tells_the_patient_once_the_broker_is_back(
    broker_down, patient_client, open_doctor, django_capture_on_commit_callbacks
):
    start = local("2026-12-02 10:00")
    with django_capture_on_commit_callbacks(execute=True):
        response = patient_client.post(
            reverse("scheduling:appointment-book", args=[open_doctor.pk]),
            {"start": f"{start:%Y-%m-%dT%H:%M}"},
        )

    assert response.status_code == 302
    appointment = Appointment.objects.get()
    row = Notification.objects.get()
    assert (row.status, row.queued_at) == (Notification.Status.PENDING, None)
    assert mail.outbox == []

    _broker_back()
    outbox.notifications_dispatch()
    outbox.notifications_dispatch()

    (message,) = mail.outbox
    assert message.subject.startswith("Booked: your appointment on 2 Dec 2026 at 10:00")
    assert message.to == [appointment.patient.user.email]


def test_it_cancels_and_tells_the_patient_once_the_broker_is_back(
    broker_down, client, open_doctor, patient, django_capture_on_commit_callbacks
):
    appointment = book(patient, open_doctor, local("2026-12-02 10:00"))
    client.force_login(open_doctor.user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("scheduling:appointment-cancel", args=[appointment.pk]),
            {"reason": "Called into surgery"},
        )

    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED
    _broker_back()
    outbox.notifications_dispatch()
    outbox.notifications_dispatch()

    cancelled = [m for m in mail.outbox if m.subject.startswith("Cancelled")]
    assert len(cancelled) == 1
    assert "Reason: Called into surgery" in cancelled[0].body


def test_it_starts_an_export_and_runs_it_once_the_broker_is_back(
    broker_down, admin_client, clinic_now, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("reports:export-create"), {"kind": "appointments"})

    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.PENDING
    _broker_back()
    assert reports_services.exports_dispatch() == 0  # it may still be on its way
    clinic_now.shift(timedelta(minutes=2))
    with django_capture_on_commit_callbacks(execute=True):
        assert reports_services.exports_dispatch() == 1
    assert reports_services.exports_dispatch() == 0

    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    assert Notification.objects.filter(event_key=f"export:{job.pk}:ready").count() == 1


def test_it_writes_reminders_and_reports_and_sends_them_once_the_broker_is_back(
    broker_down, open_doctor, patient, clinic_now, django_capture_on_commit_callbacks
):
    from reports.tasks import send_monthly_reports
    from scheduling.tests.factories import past_visit

    past_visit(patient, open_doctor, local("2026-11-10 09:00"))
    book(patient, open_doctor, local("2026-12-02 12:00"))
    clinic_now.move_to(local("2026-12-01 12:00"))

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", stdout=io.StringIO())
        send_monthly_reports.apply()

    assert mail.outbox == []
    _broker_back()
    outbox.notifications_dispatch()
    outbox.notifications_dispatch()

    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects == [
        "Booked: your appointment on 2 Dec 2026 at 12:00",
        "Reminder: your appointment tomorrow at 12:00",
        "Your activity report for November 2026",
    ]
