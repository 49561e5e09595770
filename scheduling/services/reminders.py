"""Writes for reminders: the ones due at each lead time, into the outbox."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Exists, F, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from notifications import services as outbox
from notifications.models import Notification
from scheduling import notices
from scheduling.models import (
    Appointment,
)

# Reminders

logger = logging.getLogger(__name__)


def lead_times() -> list[tuple[str, timedelta]]:
    """The reminder lead times of ``HMS_REMINDER_LEAD_TIMES``, longest first."""
    leads = {
        text.strip().lower(): notices.parse_lead(text) for text in settings.HMS_REMINDER_LEAD_TIMES
    }
    return sorted(leads.items(), key=lambda item: item[1], reverse=True)


def _reminder_key(lead: str):
    """SQL for ``notices.reminder_key`` of the outer appointment."""
    return Concat(
        Value("appointment:"),
        Cast(OuterRef("pk"), CharField()),
        Value(f":reminder:{lead}:"),
        Cast(OuterRef("sequence"), CharField()),
        output_field=CharField(),
    )


def reminders_send(*, now: datetime | None = None) -> int:
    """Write the reminders that are due into the outbox; returns how many.

    With lead times 24h and 2h, a booked appointment gets the 24-hour
    reminder once it starts within 24 hours (and more than 2), and the
    2-hour one once it starts within 2 hours: each once per appointment,
    lead time and version (a moved visit is reminded of its new time).
    A lead time already inside the window when the visit was booked is
    skipped, since the confirmation has just told them. The appointments
    due are found in one query (the reminders already written excluded in
    it), written in a few INSERTs, and handed to the workers once.
    """
    now = now or timezone.now()
    leads = lead_times()
    windows = Q()
    for index, (label, lead) in enumerate(leads):
        nearer = leads[index + 1][1] if index + 1 < len(leads) else timedelta(0)
        already = Notification.objects.filter(
            event_key=_reminder_key(label), channel=Notification.Channel.EMAIL
        )
        windows |= Q(
            ~Exists(already),
            start__gt=now + nearer,
            start__lte=now + lead,
            created_at__lte=F("start") - lead,
        )
    due = (
        Appointment.objects.with_people()
        .filter(windows, status=Appointment.Status.BOOKED, patient__user__email_reminders=True)
        # Patients registered at the desk without an e-mail get none.
        .exclude(patient__user__email=None)
        .order_by("start", "pk")
    )
    rows, reminded = [], 0
    for appointment in due:
        until = appointment.start - now
        label = next(label for label, lead in reversed(leads) if until <= lead)
        rows.extend(notices.reminder(appointment, lead=label, now=now))
        reminded += 1
    if rows:
        with transaction.atomic():
            outbox.notify_many(rows)
    return reminded
