"""The outbox against the real thing: two workers at once on PostgreSQL, and a
real Celery worker on the real Redis broker sending a notice once.
"""

import threading
import time

import pytest
from django.core import mail
from django.db import connection

from clinic.tests.factories import DoctorFactory, PatientFactory
from hms.celery import app
from notifications import services
from notifications.models import Notification
from notifications.tests.test_outbox import _message
from scheduling import selectors
from scheduling import services as scheduling_services
from scheduling.tests.factories import open_every_day

pytestmark = [
    pytest.mark.postgres,
    # The workers have their own connections, so the data must be committed.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_it_sends_once_when_two_workers_claim_at_the_same_moment():
    user = PatientFactory().user
    # Written without their on-commit tasks (which would send them at once here).
    Notification.objects.bulk_create(_message(user, f"race:{i}") for i in range(5))
    barrier = threading.Barrier(2)
    results = []

    def worker():
        try:
            barrier.wait(timeout=10)
            for row in Notification.objects.order_by("pk"):
                results.append(services.notification_send(notification_id=row.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert sorted(results) == [False] * 5 + [True] * 5
    assert len(mail.outbox) == 5
    assert set(Notification.objects.values_list("status", "attempts")) == {("sent", 1)}


def test_it_sends_once_when_two_sweeps_run_at_the_same_moment():
    user = PatientFactory().user
    Notification.objects.bulk_create(_message(user, f"sweep:{i}") for i in range(20))
    barrier = threading.Barrier(2)

    def sweep():
        try:
            barrier.wait(timeout=10)
            services.notifications_dispatch()
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert len(mail.outbox) == 20
    assert set(Notification.objects.values_list("status", "attempts")) == {("sent", 1)}
    assert sorted(m.subject for m in mail.outbox) == sorted(
        Notification.objects.values_list("subject", flat=True)
    )


def _wait_until_sent(row: Notification, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        row.refresh_from_db()
        if row.status == Notification.Status.SENT:
            return
        time.sleep(0.1)  # waiting on the worker, not on the clock
    pytest.fail(f"The worker did not send {row} in {seconds}s ({row.status}: {row.last_error})")


@pytest.mark.redis
def test_it_sends_a_booking_notice_once_through_a_real_worker():
    from celery.contrib.testing.worker import start_worker

    from notifications import tasks

    doctor = DoctorFactory()
    open_every_day(doctor)
    days = list(selectors.free_slots(doctor=doctor).values())[1:]
    slot = next(s for day in days for s in day)
    app.conf.task_always_eager = False

    # One worker thread (solo pool) in this process, so Django's locmem outbox
    # sees its mail, and tasks run in the order they were sent.
    with start_worker(app, perform_ping_check=False, shutdown_timeout=30):
        appointment = scheduling_services.appointment_book(
            patient=PatientFactory(), doctor=doctor, start=slot.start
        )
        row = Notification.objects.get()
        tasks.send_notification.delay(row.pk)  # a redelivery of its task
        # A second message sent after both: once it is out, they have run.
        (marker,) = services.notify(_message(appointment.patient.user, "marker"))
        _wait_until_sent(marker)

    row.refresh_from_db()
    assert (row.status, row.attempts) == (Notification.Status.SENT, 1)
    assert [m.subject for m in mail.outbox] == [row.subject, marker.subject]
