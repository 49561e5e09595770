"""The outbox: written with the change, sent once, retried with backoff, visible in the admin."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import AdminFactory, UserFactory
from notifications import services, tasks
from notifications.models import Notification

pytestmark = pytest.mark.django_db

CLOSED_SMTP = {
    # Port 9 (discard) has nothing listening on this machine: a real refused connection.
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_HOST": "127.0.0.1",
    "EMAIL_PORT": 9,
    "EMAIL_TIMEOUT": 1,
}


def _message(user, key="test:1"):
    return services.email(
        event_key=key,
        user=user,
        template="scheduling/email/appointment_booked",
        context={
            "patient_name": user.first_name,
            "doctor": "Dr. Test",
            "department": "General",
            "start": timezone.localtime(),
            "link": "http://example.org/a/1/",
        },
    )


def test_it_writes_once_per_event_recipient_and_channel(django_capture_on_commit_callbacks):
    user = UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        first = services.notify(_message(user))
        again = services.notify(_message(user))

    assert len(first) == 1
    assert again == []
    assert Notification.objects.count() == 1
    assert [m.to for m in mail.outbox] == [[user.email]]


def test_it_sends_a_row_once_however_often_the_task_runs(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        (row,) = services.notify(_message(user))

    # A redelivered task and a second run of the sweep.
    assert tasks.send_notification.delay(row.pk).get() is False
    assert services.notifications_dispatch() == 0

    row.refresh_from_db()
    assert (row.status, row.attempts) == (Notification.Status.SENT, 1)
    assert row.sent_at is not None
    assert len(mail.outbox) == 1


def test_it_writes_nothing_when_the_change_rolls_back():
    user = UserFactory()

    def booking_that_fails():
        with transaction.atomic():
            services.notify(_message(user))
            raise RuntimeError("the booking failed")

    with pytest.raises(RuntimeError):
        booking_that_fails()

    assert not Notification.objects.exists()


def test_it_retries_a_failed_smtp_send_with_backoff_then_sends_once(
    settings, clinic_now, django_capture_on_commit_callbacks
):
    for name, value in CLOSED_SMTP.items():
        setattr(settings, name, value)
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        (row,) = services.notify(_message(user))

    row.refresh_from_db()
    assert row.status == Notification.Status.PENDING
    assert row.attempts == 1
    assert "ConnectionRefusedError" in row.last_error
    assert row.next_attempt_at == timezone.now() + timedelta(minutes=1)
    assert services.notifications_dispatch() == 0  # not due yet

    clinic_now.shift(timedelta(minutes=1))
    assert services.notifications_dispatch() == 1  # fails again: 2 minutes now
    row.refresh_from_db()
    assert row.attempts == 2
    assert row.next_attempt_at == timezone.now() + timedelta(minutes=2)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # SMTP is back
    clinic_now.shift(timedelta(minutes=2))
    services.notifications_dispatch()
    services.notifications_dispatch()

    row.refresh_from_db()
    assert (row.status, row.attempts) == (Notification.Status.SENT, 3)
    assert [m.to for m in mail.outbox] == [[user.email]]


def test_it_gives_up_after_the_last_attempt_until_an_admin_retries(
    settings, clinic_now, client, django_capture_on_commit_callbacks
):
    for name, value in CLOSED_SMTP.items():
        setattr(settings, name, value)
    user = UserFactory()
    services.notify(_message(user))
    row = Notification.objects.get()
    Notification.objects.filter(pk=row.pk).update(attempts=services.MAX_ATTEMPTS - 1)
    services.notification_send(notification_id=row.pk)
    row.refresh_from_db()
    assert row.status == Notification.Status.FAILED
    clinic_now.shift(timedelta(days=1))
    assert services.notifications_dispatch() == 0  # failed rows stay failed

    client.force_login(AdminFactory())
    changelist = reverse("admin:notifications_notification_changelist")
    listing = client.get(changelist, {"status__exact": "failed"})
    assert listing.status_code == 200
    assert "ConnectionRefusedError" in listing.text
    assert user.email in listing.text
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            changelist, {"action": "retry_now", "_selected_action": [row.pk]}, follow=True
        )

    assert "1 message queued again." in response.text
    row.refresh_from_db()
    assert row.status == Notification.Status.SENT
    assert len(mail.outbox) == 1


def test_it_retakes_a_claim_left_by_a_worker_that_died(clinic_now):
    user = UserFactory()
    services.notify(_message(user, "test:dead"), _message(user, "test:busy"))
    dead, busy = Notification.objects.order_by("event_key")
    Notification.objects.filter(pk=dead.pk).update(
        status="sending", claimed_at=timezone.now() - timedelta(minutes=6)
    )
    Notification.objects.filter(pk=busy.pk).update(
        status="sending", claimed_at=timezone.now() - timedelta(minutes=1)
    )

    assert services.notifications_dispatch() == 1

    dead.refresh_from_db()
    busy.refresh_from_db()
    assert dead.status == Notification.Status.SENT
    assert busy.status == Notification.Status.SENDING  # its worker may still be sending
    assert [m.subject for m in mail.outbox] == [dead.subject]


def test_it_hands_a_queued_row_out_again_only_after_its_lease(clinic_now):
    user = UserFactory()
    services.notify(_message(user))  # queued, but its on-commit task never ran
    row = Notification.objects.get()

    assert services.notifications_dispatch() == 0
    clinic_now.shift(services.QUEUE_LEASE + timedelta(seconds=1))
    assert services.notifications_dispatch() == 1
    row.refresh_from_db()
    assert row.status == Notification.Status.SENT


def test_it_shows_nothing_of_the_outbox_to_a_patient(client):
    person = UserFactory()
    client.force_login(person)

    response = client.get(reverse("admin:notifications_notification_changelist"))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_it_sends_the_due_messages_by_hand(clinic_now):
    import io

    from django.core.management import call_command

    services.notify(_message(UserFactory()))
    clinic_now.shift(services.QUEUE_LEASE + timedelta(seconds=1))
    out = io.StringIO()

    call_command("send_outbox", stdout=out)
    call_command("send_outbox", stdout=io.StringIO())

    assert "1 message(s) handed to the workers." in out.getvalue()
    assert len(mail.outbox) == 1
