"""Writes of the outbox: write a message with the change, send it once.

``notify`` and ``notify_many`` are called inside the transaction of the change
(a booking, a cancellation, a reminder falling due). When it commits, a task
is enqueued to send; if the broker is down the enqueue is logged and dropped,
and the sweep (``notifications_dispatch``, every minute) sends the row later.
Sending claims the row with a conditional update (pending -> sending), so a
second run, a redelivered task or two workers at once send it once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation

from hms.celery import enqueue, enqueue_on_commit
from hms.chat import chat_enabled, send_chat_message
from hms.mail import render_email, send_email
from notifications import tasks
from notifications.models import Notification

logger = logging.getLogger(__name__)

# After this many failed sends the row stays Failed until an admin retries it.
MAX_ATTEMPTS = 8
# A claim this old lost its worker (the send task's hard limit is 60 s).
STALE_CLAIM = timedelta(minutes=5)
# A row handed to the workers this long ago and still pending is handed out
# again (its task was lost); until then the sweep leaves it to that task.
QUEUE_LEASE = timedelta(minutes=5)
# Rows per query of the sweep.
SWEEP_BATCH = 1000
CHAT_RECIPIENT = "google-chat"

# Optional e-mails a person can turn off on their profile: kind -> User field.
OPTIONAL_KINDS = {"reminders": "email_reminders", "waitlist": "email_waitlist_offers"}


def backoff(attempts: int) -> timedelta:
    """Wait before the next try: 1, 2, 4 ... minutes, at most an hour."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


def wants(user, optional: str | None) -> bool:
    """Whether ``user`` takes this kind of optional e-mail (the rest always go)."""
    return optional is None or getattr(user, OPTIONAL_KINDS[optional], True)


def email(
    *,
    event_key: str,
    user,
    template: str,
    context: dict | Callable[[], dict],
    attachment: tuple[str, str, str] | Callable[[], tuple[str, str, str]] | None = None,
    optional: str | None = None,
    now: datetime | None = None,
) -> Notification | None:
    """An unsaved e-mail to ``user`` rendered from ``template`` (see ``hms.mail``);
    None when it is optional and they turned it off. ``attachment`` is
    (file name, content type, text).

    Written in the recipient's language (``user.language``), whatever language
    the sender's request is in: subject and bodies are rendered inside
    ``translation.override``. A ``context`` or ``attachment`` given as a
    callable is built there too, so its dates, "today" or calendar title are
    in that language as well.
    """
    if not user.email or not wants(user, optional):
        # A patient registered at the desk without an e-mail address gets none.
        return None
    with translation.override(user.language):
        values = context() if callable(context) else context
        subject, text, html = render_email(template=template, context={"user": user, **values})
        built = attachment() if callable(attachment) else attachment
        name, kind, content = built or ("", "", "")
    return Notification(
        event_key=event_key,
        channel=Notification.Channel.EMAIL,
        recipient=user.email,
        user=user,
        subject=subject[:300],
        body_text=text,
        body_html=html,
        attachment_name=name,
        attachment_type=kind,
        attachment=content,
        created_at=now or timezone.now(),
    )


def chat(
    *, event_key: str, text: str | Callable[[], str], now: datetime | None = None
) -> Notification | None:
    """An unsaved post to the clinic's Google Chat space, or None when none is set.

    A ``text`` given as a callable is written in the clinic's language
    (settings.LANGUAGE_CODE), not the language of whoever caused the post.
    """
    if not chat_enabled():
        return None
    if callable(text):
        with translation.override(settings.LANGUAGE_CODE):
            text = text()
    return Notification(
        event_key=event_key,
        channel=Notification.Channel.CHAT,
        recipient=CHAT_RECIPIENT,
        body_text=text,
        created_at=now or timezone.now(),
    )


def _enqueue(notification_id: int) -> bool:
    """Hand one row to the workers. A broker outage is logged, never raised: the
    row is marked not queued, so the sweep hands it out once the broker is back.
    """
    if enqueue(tasks.send_notification, notification_id):
        return True
    Notification.objects.filter(pk=notification_id).update(queued_at=None)
    return False


def notify(*notifications: Notification | None) -> list[Notification]:
    """Write these messages in the current transaction and send each once it commits.

    A message whose (event, recipient, channel) is already in the outbox is
    skipped: returns the ones written.
    """
    written = []
    for notification in notifications:
        if notification is None:
            continue
        notification.queued_at = timezone.now()  # on commit, below
        try:
            with transaction.atomic():
                notification.save()
        except IntegrityError:
            continue
        written.append(notification)
        transaction.on_commit(partial(_enqueue, notification.pk))
    return written


# Rows per INSERT: 3,600 rows of 18 columns stay under PostgreSQL's 65,535
# parameters (SQLite takes fewer; Django splits further there).
INSERT_BATCH = 3600


def notify_many(notifications: Iterable[Notification], *, batch_size: int = INSERT_BATCH) -> int:
    """Write many messages in a few INSERTs (those already there are skipped) and
    have the sweep send them once this commits. Returns how many were offered.
    """
    rows = [n for n in notifications if n is not None]
    if not rows:
        return 0
    Notification.objects.bulk_create(rows, batch_size=batch_size, ignore_conflicts=True)
    enqueue_on_commit(tasks.dispatch_notifications)
    return len(rows)


def _deliver(notification: Notification) -> None:
    if notification.channel == Notification.Channel.CHAT:
        send_chat_message(text=notification.body_text)
    else:
        send_email(
            to=[notification.recipient],
            subject=notification.subject,
            text=notification.body_text,
            html=notification.body_html,
            attachment_name=notification.attachment_name,
            attachment_type=notification.attachment_type,
            attachment=notification.attachment,
        )


def notification_send(*, notification_id: int, now: datetime | None = None) -> bool:
    """Claim and send one message; True if this call sent it.

    A failure puts the row back to pending with its error and the time of
    the next try (backoff), or Failed after MAX_ATTEMPTS; it never raises.
    """
    now = now or timezone.now()
    claimed = Notification.objects.filter(
        pk=notification_id, status=Notification.Status.PENDING, next_attempt_at__lte=now
    ).update(status=Notification.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if claimed != 1:
        return False
    notification = Notification.objects.get(pk=notification_id)
    try:
        _deliver(notification)
    except Exception as exc:
        logger.warning("Notification %s failed: %s", notification.pk, exc)
        gave_up = notification.attempts >= MAX_ATTEMPTS
        Notification.objects.filter(pk=notification.pk, status=Notification.Status.SENDING).update(
            status=Notification.Status.FAILED if gave_up else Notification.Status.PENDING,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            next_attempt_at=now + backoff(notification.attempts),
            claimed_at=None,
            queued_at=None,
        )
        return False
    Notification.objects.filter(pk=notification.pk).update(
        status=Notification.Status.SENT, sent_at=timezone.now(), claimed_at=None
    )
    return True


def notifications_dispatch(*, now: datetime | None = None) -> int:
    """The sweep: give claims of dead workers back, then hand every due row
    that no worker has (pending, not queued in the last QUEUE_LEASE) to a
    send task. Returns how many were handed out.

    Handing a row out twice is harmless (the claim lets one send); the lease
    only keeps the queue from filling with copies.
    """
    now = now or timezone.now()
    Notification.objects.filter(
        status=Notification.Status.SENDING, claimed_at__lt=now - STALE_CLAIM
    ).update(status=Notification.Status.PENDING, claimed_at=None, queued_at=None)
    due = (
        Notification.objects.filter(status=Notification.Status.PENDING, next_attempt_at__lte=now)
        .filter(Q(queued_at=None) | Q(queued_at__lt=now - QUEUE_LEASE))
        .order_by("next_attempt_at", "id")
    )
    handed = 0
    while ids := list(due.values_list("pk", flat=True)[:SWEEP_BATCH]):
        Notification.objects.filter(pk__in=ids).update(queued_at=now)
        for pk in ids:
            if not _enqueue(pk):
                return handed  # the broker is down: the next sweep goes on
            handed += 1
    return handed


@transaction.atomic
def notifications_retry(*, ids: Iterable[int], now: datetime | None = None) -> int:
    """Send these failed or pending rows again now (the admin's "retry now")."""
    now = now or timezone.now()
    rows = Notification.objects.filter(
        pk__in=list(ids), status__in=[Notification.Status.FAILED, Notification.Status.PENDING]
    )
    pks = list(rows.values_list("pk", flat=True))
    Notification.objects.filter(pk__in=pks).update(
        status=Notification.Status.PENDING, next_attempt_at=now, queued_at=now
    )
    for pk in pks:
        transaction.on_commit(partial(_enqueue, pk))
    return len(pks)


def notifications_withdraw(*, event_prefix: str) -> int:
    """Stop the unsent messages whose event starts with ``event_prefix`` (a
    reminder of a visit just cancelled or moved). Call it in the change's
    transaction; a message already being sent is not stopped.
    """
    return Notification.objects.filter(
        event_key__startswith=event_prefix, status=Notification.Status.PENDING
    ).update(status=Notification.Status.WITHDRAWN)


def site_url(path: str) -> str:
    """An absolute link into HMS for a message (``HMS_SITE_URL`` + path)."""
    return settings.HMS_SITE_URL.rstrip("/") + path
