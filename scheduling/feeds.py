"""Private calendar feeds: a secret URL per doctor or patient that calendar
programs subscribe to. The events are the ones of the notices' .ics (times,
doctor, department, link): no reason for the visit, no clinical detail.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.roles import Role
from scheduling.models import Appointment, CalendarFeed

# The feed shows this much of the past, and everything ahead.
PAST = timedelta(days=30)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def feed_issue(*, user) -> str:
    """A new secret token for ``user``'s feed (any older link stops working)."""
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(
        user=user, defaults={"token_hash": _hash(token), "created_at": timezone.now()}
    )
    return token


@transaction.atomic
def feed_revoke(*, user) -> bool:
    return CalendarFeed.objects.filter(user=user).delete()[0] > 0


def feed_owner(*, user_id: int, token: str):
    """The person whose feed this is, or None (unknown, revoked, another's token)."""
    feed = (
        CalendarFeed.objects.filter(user_id=user_id, token_hash=_hash(token), user__is_active=True)
        .select_related("user")
        .first()
    )
    return feed.user if feed else None


def feed_appointments(*, user, now=None) -> QuerySet[Appointment]:
    """A doctor's or a patient's own appointments, from a month ago on."""
    if user.role not in (Role.DOCTOR, Role.PATIENT):
        return Appointment.objects.none()
    now = now or timezone.now()
    return (
        Appointment.objects.visible_to(user)
        .filter(
            start__gte=now - PAST,
            status__in=[Appointment.Status.BOOKED, Appointment.Status.COMPLETED],
        )
        .with_people()
        .order_by("start")
    )
