"""Writes of the waitlist: join, the offer of a freed slot, accept, expire.

A freed slot (an active appointment cancelled, by anyone, leave included) is
offered to the first patient waiting for that doctor on that day: the slot
is *held* for them as an appointment in the Held status, which the same
database constraints as bookings count (one active appointment per doctor
and time), so nobody else can book it meanwhile. They accept with one click
or the hold expires (``waitlist_holds_expire``, every minute) and the next
person gets it. Offers lock the waitlist entry (``SKIP LOCKED`` on
PostgreSQL), so two cancellations or two workers at once never offer two
slots to one person nor one slot to two.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from clinic.models import Doctor, Patient
from hms.clinic_time import clinic_date, clinic_today
from notifications import services as outbox
from scheduling import notices, selectors
from scheduling.models import Appointment, WaitlistEntry

# How far ahead a patient may wait (the booking window is shorter; the wait
# outlives it as days come into the window).
MAX_WAIT_DAYS = 90


def _skip_locked(queryset):
    """Rows another transaction is offering are skipped, not waited for."""
    if connection.features.has_select_for_update_skip_locked:
        return queryset.select_for_update(skip_locked=True, of=("self",))
    return queryset  # SQLite runs one writer at a time


@transaction.atomic
def waitlist_join(
    *, patient: Patient, doctor: Doctor, first_day: date, last_day: date, by, today=None
) -> WaitlistEntry:
    """Put ``patient`` on ``doctor``'s waitlist for ``first_day`` to ``last_day``."""
    today = today or clinic_today()
    if not patient.user.is_active:
        raise ValidationError(_("This patient account is disabled and cannot book appointments."))
    if first_day < today:
        raise ValidationError({"first_day": _("Choose today or a later day.")})
    if last_day < first_day:
        raise ValidationError({"last_day": _("The last day must be on or after the first.")})
    if last_day > today + timedelta(days=MAX_WAIT_DAYS):
        raise ValidationError(
            {"last_day": _("Choose a day within %(days)d days.") % {"days": MAX_WAIT_DAYS}}
        )
    if WaitlistEntry.objects.filter(
        patient=patient,
        doctor=doctor,
        status__in=[WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED],
    ).exists():
        raise ValidationError(_("You are already on this doctor's waitlist."))
    entry = WaitlistEntry(
        patient=patient, doctor=doctor, first_day=first_day, last_day=last_day, added_by=by
    )
    entry.full_clean(exclude=["patient", "doctor", "added_by", "offer"])
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as exc:  # joined a moment ago in another tab
        raise ValidationError(_("You are already on this doctor's waitlist.")) from exc
    return entry


def slot_freed(
    *, doctor: Doctor, start: datetime, now: datetime | None = None, skip_patient_id=None
) -> Appointment | None:
    """Offer the slot at ``start`` (just freed) to the first patient waiting for it.

    Call it in the transaction that freed the slot. Nothing is offered when the
    slot is no longer bookable (leave over that day, too soon, outside the
    booking window) or nobody waits. Returns the hold, or None.
    """
    now = now or timezone.now()
    slot = selectors.find_free_slot(doctor=doctor, start=start, now=now)
    if slot is None:
        return None
    day = clinic_date(slot.start)
    busy = Appointment.objects.active().filter(
        patient=OuterRef("patient"), start__lt=slot.end, end__gt=slot.start
    )
    waiting = (
        WaitlistEntry.objects.filter(
            doctor=doctor,
            status=WaitlistEntry.Status.WAITING,
            first_day__lte=day,
            last_day__gte=day,
            patient__user__is_active=True,
        )
        .exclude(Exists(busy))
        .order_by("created_at", "id")
    )
    if skip_patient_id is not None:
        waiting = waiting.exclude(patient_id=skip_patient_id)
    entry = _skip_locked(waiting).select_related("patient__user").first()
    if entry is None:
        return None
    hold = Appointment(
        patient=entry.patient,
        doctor=doctor,
        start=slot.start,
        end=slot.end,
        status=Appointment.Status.HELD,
        hold_expires_at=now + timedelta(minutes=settings.HMS_WAITLIST_HOLD_MINUTES),
    )
    try:
        with transaction.atomic():
            hold.save()
    except IntegrityError:  # booked or held by someone else a moment ago
        return None
    entry.status, entry.offer = WaitlistEntry.Status.OFFERED, hold
    entry.save(update_fields=["status", "offer"])
    hold.doctor = doctor
    outbox.notify(notices.offered(hold, now=now))
    return hold


@transaction.atomic
def waitlist_accept(*, appointment: Appointment, by, now: datetime | None = None) -> Appointment:
    """The patient (or an admin for them) takes the slot held for them: it is booked."""
    now = now or timezone.now()
    hold = (
        Appointment.objects.select_for_update(of=("self",))
        .with_people()
        .filter(pk=appointment.pk)
        .first()
    )
    if hold is None or hold.status != Appointment.Status.HELD:
        raise ValidationError(_("This offer is no longer open."))
    if not (by.role == Role.ADMIN or hold.patient.user_id == by.pk):
        raise ValidationError(_("This offer is for another patient."))
    if hold.hold_expires_at <= now:
        raise ValidationError(_("This offer has expired; the slot went to the next patient."))
    hold.status, hold.hold_expires_at = Appointment.Status.BOOKED, None
    hold.save(update_fields=["status", "hold_expires_at", "updated_at"])
    WaitlistEntry.objects.filter(offer=hold).update(status=WaitlistEntry.Status.BOOKED)
    outbox.notify(notices.booked(hold, now=now))
    return hold


def waitlist_holds_expire(*, now: datetime | None = None) -> int:
    """The beat job (every minute): end the holds past their time and offer each
    slot to the next person waiting. Returns how many holds expired.
    """
    now = now or timezone.now()
    expired = 0
    for pk in Appointment.objects.filter(
        status=Appointment.Status.HELD, hold_expires_at__lte=now
    ).values_list("pk", flat=True):
        with transaction.atomic():
            hold = (
                _skip_locked(Appointment.objects.filter(pk=pk, status=Appointment.Status.HELD))
                .select_related("doctor")
                .first()
            )
            if hold is None:  # accepted, or another worker has it
                continue
            WaitlistEntry.objects.filter(offer=hold).update(
                status=WaitlistEntry.Status.EXPIRED, offer=None
            )
            doctor, start, patient_id = hold.doctor, hold.start, hold.patient_id
            hold.delete()
            slot_freed(doctor=doctor, start=start, now=now, skip_patient_id=patient_id)
            # The slot may be free again: the cached slot grid must not hide it.
            selectors.slots_changed(doctor_id=doctor.pk)
            expired += 1
    return expired
