"""Writes for scheduling: availability, booking, rescheduling and status changes.

The booking guarantee lives in the database (see the Appointment constraints
and migration 0002); the checks here give the clear message first, and a lost
race that slips past them becomes the same message, never a 500.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import CharField, Exists, F, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from accounts.roles import Role
from clinic.models import Doctor, Patient
from clinic.services import treatment_record
from hms.clinic_time import at_clinic_time, clinic_date, clinic_today
from notifications import services as outbox
from notifications.models import Notification
from scheduling import notices, selectors, waitlist
from scheduling.models import (
    PATIENT_BUSY,
    SLOT_TAKEN,
    Appointment,
    AvailabilityException,
    WeeklyAvailability,
)

SLOT_GONE = "That slot is no longer available, please choose another."


# Availability


@transaction.atomic
def weekly_block_add(
    *, doctor: Doctor, weekday: int, start_time: time, end_time: time
) -> WeeklyAvailability:
    """Add a block to the doctor's usual week; blocks of one day may not overlap."""
    block = WeeklyAvailability(
        doctor=doctor, weekday=weekday, start_time=start_time, end_time=end_time
    )
    block.full_clean()
    clash = (
        WeeklyAvailability.objects.filter(
            doctor=doctor, weekday=weekday, start_time__lt=end_time, end_time__gt=start_time
        )
        .order_by("start_time")
        .first()
    )
    if clash is not None:
        raise ValidationError(f"This block overlaps {clash}.")
    block.save()
    return block


@transaction.atomic
def weekly_block_remove(*, block: WeeklyAvailability) -> None:
    block.delete()


def exception_affected(
    *,
    doctor: Doctor,
    date: date,
    kind: str,
    start_time: time | None = None,
    end_time: time | None = None,
) -> list[Appointment]:
    """The booked appointments an exception would leave outside the doctor's hours:
    every one of the day for leave or a holiday, those outside the new hours
    for changed hours.
    """
    booked = selectors.doctor_between(doctor=doctor, first=date, last=date).filter(
        status=Appointment.Status.BOOKED
    )
    appointments = list(booked.with_people().order_by("start"))
    if kind != AvailabilityException.Kind.CHANGED_HOURS or not (start_time and end_time):
        return appointments
    opens, closes = at_clinic_time(date, start_time), at_clinic_time(date, end_time)
    return [a for a in appointments if not (opens <= a.start and a.end <= closes)]


@transaction.atomic
def exception_add(
    *,
    doctor: Doctor,
    date: date,
    kind: str,
    start_time: time | None = None,
    end_time: time | None = None,
    note: str = "",
    today: date | None = None,
    cancel_affected: bool = False,
    reason: str = "",
    by=None,
) -> AvailabilityException:
    """Record leave, a holiday or changed hours on one date (today or later).

    The booked appointments it leaves outside the doctor's hours are kept
    unless ``cancel_affected``: then they are cancelled by ``by`` with
    ``reason`` in the same transaction, and each patient gets the
    cancellation notice with a link to book that doctor again.
    """
    today = today or clinic_today()
    if date < today:
        raise ValidationError({"date": "Choose today or a later date."})
    if cancel_affected and not reason.strip():
        raise ValidationError({"cancel_reason": "Please tell the patients why."})
    exception = AvailabilityException(
        doctor=doctor,
        date=date,
        kind=kind,
        start_time=start_time if kind == AvailabilityException.Kind.CHANGED_HOURS else None,
        end_time=end_time if kind == AvailabilityException.Kind.CHANGED_HOURS else None,
        note=note.strip(),
    )
    exception.full_clean()
    same_day = AvailabilityException.objects.filter(doctor=doctor, date=date)
    if exception.is_all_day and same_day.exists():
        raise ValidationError(
            {"date": "There is already an exception on that date; remove it first."}
        )
    if not exception.is_all_day:
        if same_day.exclude(kind=AvailabilityException.Kind.CHANGED_HOURS).exists():
            raise ValidationError({"date": "That date is already marked as leave or a holiday."})
        if same_day.filter(start_time__lt=end_time, end_time__gt=start_time).exists():
            raise ValidationError("These hours overlap other changed hours on that date.")
    exception.save()
    if cancel_affected:
        for appointment in exception_affected(
            doctor=doctor, date=date, kind=kind, start_time=start_time, end_time=end_time
        ):
            appointment_cancel(appointment=appointment, by=by, reason=reason)
    return exception


@transaction.atomic
def exception_remove(*, exception: AvailabilityException) -> None:
    exception.delete()


# Booking


def _check_bookable(*, patient: Patient, doctor: Doctor) -> None:
    if not patient.user.is_active:
        raise ValidationError("This patient account is disabled and cannot book appointments.")
    if not doctor.is_bookable:
        raise ValidationError(f"{doctor} is not taking bookings at the moment.")


def _check_patient_free(*, patient: Patient, start: datetime, end: datetime, ignore_id=None):
    clash = Appointment.objects.active().filter(patient=patient).overlapping(start, end)
    if ignore_id is not None:
        clash = clash.exclude(pk=ignore_id)
    if clash.exists():
        raise ValidationError(PATIENT_BUSY)


def _slot_unavailable(*, doctor: Doctor, start: datetime, now: datetime | None) -> ValidationError:
    """Why ``start`` is no free slot: taken, too soon, or not a bookable time at all."""
    end = start + timedelta(minutes=doctor.consultation_minutes)
    if Appointment.objects.active().filter(doctor=doctor).overlapping(start, end).exists():
        return ValidationError(SLOT_TAKEN, code="slot_taken")
    lead = settings.HMS_BOOKING_LEAD_MINUTES
    if lead and (now or timezone.now()) <= start < (now or timezone.now()) + timedelta(
        minutes=lead
    ):
        return ValidationError(
            f"Appointments must be booked at least {lead} minutes ahead; "
            "please choose a later slot.",
            code="too_soon",
        )
    return ValidationError(SLOT_GONE, code="slot_gone")


def _save_or_explain(appointment: Appointment, **save_kwargs) -> None:
    """Save; a constraint lost to a concurrent booking becomes its clear message.

    Called inside the service's transaction, which the ValidationError then
    rolls back whole, so no savepoint is needed (two queries fewer a booking).
    """
    try:
        with transaction.atomic(savepoint=False):
            appointment.save(**save_kwargs)
    except IntegrityError as exc:
        cause = getattr(getattr(exc.__cause__, "diag", None), "constraint_name", None)
        raise ValidationError(
            PATIENT_BUSY if "patient" in (cause or str(exc)) else SLOT_TAKEN,
            code="slot_taken",
        ) from exc


@transaction.atomic
def appointment_book(
    *,
    patient: Patient,
    doctor: Doctor,
    start: datetime,
    reason: str = "",
    now: datetime | None = None,
) -> Appointment:
    """Book ``patient`` into the free slot of ``doctor`` that starts at ``start``.

    The slot must be one the generator offers now (inside the booking window,
    after the lead time, in the doctor's hours, not taken).
    """
    _check_bookable(patient=patient, doctor=doctor)
    slot = selectors.find_free_slot(doctor=doctor, start=start, now=now)
    if slot is None:
        raise _slot_unavailable(doctor=doctor, start=start, now=now)
    _check_patient_free(patient=patient, start=slot.start, end=slot.end)
    appointment = Appointment(
        patient=patient, doctor=doctor, start=slot.start, end=slot.end, reason=reason.strip()
    )
    # The patient and doctor were loaded just now: checking that they exist
    # would cost two queries for nothing.
    appointment.full_clean(exclude=["patient", "doctor"], validate_constraints=False)
    _save_or_explain(appointment)
    outbox.notify(notices.booked(appointment, now=now))
    return appointment


def _locked(appointment: Appointment) -> Appointment:
    return (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("patient__user", "doctor__user", "doctor__department")
        .get(pk=appointment.pk)
    )


@transaction.atomic
def appointment_reschedule(
    *, appointment: Appointment, start: datetime, by, now: datetime | None = None
) -> Appointment:
    """Move a booked appointment to another free slot of the same doctor.

    One transaction: the old time is freed as the new one is taken.
    """
    appointment = _locked(appointment)
    refusal = appointment.reschedule_refusal(by=by, now=now)
    if refusal:
        raise ValidationError(refusal)
    _check_bookable(patient=appointment.patient, doctor=appointment.doctor)
    slot = selectors.find_free_slot(
        doctor=appointment.doctor, start=start, now=now, ignore_appointment_id=appointment.pk
    )
    if slot is None:
        raise _slot_unavailable(doctor=appointment.doctor, start=start, now=now)
    if slot.start == appointment.start:
        raise ValidationError("That is the time you already have; choose another slot.")
    _check_patient_free(
        patient=appointment.patient, start=slot.start, end=slot.end, ignore_id=appointment.pk
    )
    old_start = appointment.start
    appointment.start, appointment.end = slot.start, slot.end
    appointment.sequence += 1
    _save_or_explain(appointment, update_fields=["start", "end", "sequence", "updated_at"])
    outbox.notifications_withdraw(event_prefix=f"{notices.event_prefix(appointment)}reminder:")
    outbox.notify(notices.moved(appointment, old_start=old_start, now=now))
    return appointment


@transaction.atomic
def appointment_cancel(
    *, appointment: Appointment, by, reason: str = "", now: datetime | None = None
) -> Appointment:
    """Cancel a booked appointment; its slot is free again at once.

    The doctor and admins must give a reason. The patient is told (with the
    reason when staff cancelled) and their unsent reminders are withdrawn.
    """
    now = now or timezone.now()
    appointment = _locked(appointment)
    refusal = appointment.cancel_refusal(by=by, now=now)
    if refusal:
        raise ValidationError(refusal)
    by_patient = by.role == Role.PATIENT
    if not by_patient and not reason.strip():
        raise ValidationError({"reason": "Please tell the patient why the visit is cancelled."})
    appointment.status = Appointment.Status.CANCELLED
    appointment.cancellation_reason = reason.strip()
    appointment.cancelled_by = by
    appointment.cancelled_at = now
    appointment.sequence += 1
    appointment.save(
        update_fields=[
            "status",
            "cancellation_reason",
            "cancelled_by",
            "cancelled_at",
            "sequence",
            "updated_at",
        ]
    )
    outbox.notifications_withdraw(event_prefix=f"{notices.event_prefix(appointment)}reminder:")
    outbox.notify(notices.cancelled(appointment, now=now))
    waitlist.slot_freed(
        doctor=appointment.doctor,
        start=appointment.start,
        now=now,
        skip_patient_id=appointment.patient_id,
    )
    return appointment


@transaction.atomic
def patient_bookings_cancel(
    *, patient: Patient, by, reason: str, now: datetime | None = None
) -> int:
    """Cancel every future booking of ``patient`` (say, a disabled account), each
    patient told with ``reason``, in one transaction. Returns how many.
    """
    if not reason.strip():
        raise ValidationError({"reason": "Please tell the patient why."})
    upcoming = list(selectors.patient_upcoming(patient=patient, now=now))
    for appointment in upcoming:
        appointment_cancel(appointment=appointment, by=by, reason=reason, now=now)
    return len(upcoming)


def _record_attendance(
    appointment: Appointment, *, by, status: str, now, treatment=None, locked: bool = False
) -> Appointment:
    now = now or timezone.now()
    if not locked:
        appointment = _locked(appointment)
        refusal = appointment.attendance_refusal(by=by, now=now)
        if refusal:
            raise ValidationError(refusal)
    appointment.status = status
    fields = ["status", "updated_at"]
    if status == Appointment.Status.COMPLETED:
        appointment.completed_at = now
        fields.append("completed_at")
    if treatment is not None:
        appointment.treatment = treatment
        fields.append("treatment")
    appointment.save(update_fields=fields)
    return appointment


@transaction.atomic
def appointment_complete(
    *, appointment: Appointment, by, now: datetime | None = None
) -> Appointment:
    """The doctor records that the visit took place (from its start on)."""
    return _record_attendance(appointment, by=by, status=Appointment.Status.COMPLETED, now=now)


@transaction.atomic
def appointment_complete_with_treatment(
    *,
    appointment: Appointment,
    by,
    diagnosis: str,
    icd10_code: str = "",
    notes: str = "",
    items: Iterable[Mapping] = (),
    next_visit_on: date | None = None,
    now: datetime | None = None,
) -> Appointment:
    """The doctor completes a visit and records it: diagnosis, notes, prescription
    and the suggested next visit. One transaction: the record and the Completed
    status are saved together or not at all.
    """
    now = now or timezone.now()
    appointment = _locked(appointment)
    refusal = appointment.completion_refusal(by=by, now=now)
    if refusal:
        raise ValidationError(refusal)
    treatment = treatment_record(
        patient=appointment.patient,
        doctor=appointment.doctor,
        diagnosis=diagnosis,
        icd10_code=icd10_code,
        notes=notes,
        items=items,
        next_visit_on=next_visit_on,
        visit_date=clinic_date(appointment.start),
        now=now,
    )
    # Locked and checked above (completion_refusal): one save with the record.
    return _record_attendance(
        appointment,
        by=by,
        status=Appointment.Status.COMPLETED,
        now=now,
        treatment=treatment,
        locked=True,
    )


@transaction.atomic
def appointment_mark_no_show(
    *, appointment: Appointment, by, now: datetime | None = None
) -> Appointment:
    """The doctor records that the patient did not come (only after the start)."""
    return _record_attendance(appointment, by=by, status=Appointment.Status.NO_SHOW, now=now)


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
