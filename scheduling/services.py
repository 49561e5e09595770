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
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.roles import Role
from clinic.models import Doctor, Patient
from clinic.services import treatment_record
from hms.chat import chat_enabled, send_chat_message
from hms.clinic_time import clinic_date, clinic_today
from hms.mail import send_templated_email
from scheduling import selectors, tasks
from scheduling.models import (
    PATIENT_BUSY,
    SLOT_TAKEN,
    Appointment,
    AvailabilityException,
    Reminder,
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
) -> AvailabilityException:
    """Record leave, a holiday or changed hours on one date (today or later).

    Booked appointments on that date are not cancelled by this: the doctor
    sees them on their day view and cancels them with a reason, so each
    patient is told.
    """
    today = today or clinic_today()
    if date < today:
        raise ValidationError({"date": "Choose today or a later date."})
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
    return exception


@transaction.atomic
def exception_remove(*, exception: AvailabilityException) -> None:
    exception.delete()


def booked_on(*, doctor: Doctor, day: date) -> int:
    return (
        selectors.doctor_between(doctor=doctor, first=day, last=day)
        .filter(status=Appointment.Status.BOOKED)
        .count()
    )


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
    appointment.start, appointment.end = slot.start, slot.end
    _save_or_explain(appointment, update_fields=["start", "end", "updated_at"])
    return appointment


@transaction.atomic
def appointment_cancel(
    *, appointment: Appointment, by, reason: str = "", now: datetime | None = None
) -> Appointment:
    """Cancel a booked appointment; its slot is free again at once.

    The doctor and admins must give a reason, and the patient is e-mailed it.
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
    appointment.save(
        update_fields=[
            "status",
            "cancellation_reason",
            "cancelled_by",
            "cancelled_at",
            "updated_at",
        ]
    )
    if not by_patient:
        tasks.send_cancellation_notice.delay_on_commit(appointment.pk)
    return appointment


def _record_attendance(appointment: Appointment, *, by, status: str, now) -> Appointment:
    now = now or timezone.now()
    appointment = _locked(appointment)
    refusal = appointment.attendance_refusal(by=by, now=now)
    if refusal:
        raise ValidationError(refusal)
    appointment.status = status
    fields = ["status", "updated_at"]
    if status == Appointment.Status.COMPLETED:
        appointment.completed_at = now
        fields.append("completed_at")
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
    appointment = _record_attendance(
        appointment, by=by, status=Appointment.Status.COMPLETED, now=now
    )
    appointment.treatment = treatment
    appointment.save(update_fields=["treatment", "updated_at"])
    return appointment


@transaction.atomic
def appointment_mark_no_show(
    *, appointment: Appointment, by, now: datetime | None = None
) -> Appointment:
    """The doctor records that the patient did not come (only after the start)."""
    return _record_attendance(appointment, by=by, status=Appointment.Status.NO_SHOW, now=now)


def cancellation_notice_send(*, appointment: Appointment) -> None:
    """Tell the patient that the doctor or the hospital cancelled their visit."""
    send_templated_email(
        to=[appointment.patient.user.email],
        template="scheduling/email/appointment_cancelled",
        context={"appointment": appointment, "start": timezone.localtime(appointment.start)},
    )


# Reminders

logger = logging.getLogger(__name__)

# A claim older than this that never got its sent_at is from a worker that
# died mid-send; it may be claimed again.
STALE_CLAIM = timedelta(minutes=15)


def reminder_channels() -> list[str]:
    channels = [Reminder.Channel.EMAIL]
    if chat_enabled():
        channels.append(Reminder.Channel.CHAT)
    return channels


def _claim(appointment: Appointment, channel: str, now: datetime) -> Reminder | None:
    """Take the one claim on this reminder, or None if another job has it."""
    try:
        with transaction.atomic():
            return Reminder.objects.create(appointment=appointment, channel=channel, claimed_at=now)
    except IntegrityError:
        pass
    # Conditional update: of two workers retaking a stale claim only one wins.
    stale = Reminder.objects.filter(
        appointment=appointment, channel=channel, sent_at=None, claimed_at__lt=now - STALE_CLAIM
    )
    if stale.update(claimed_at=now) == 1:
        return Reminder.objects.get(appointment=appointment, channel=channel)
    return None


def _deliver(appointment: Appointment, channel: str) -> None:
    start = timezone.localtime(appointment.start)
    if channel == Reminder.Channel.EMAIL:
        send_templated_email(
            to=[appointment.patient.user.email],
            template="scheduling/email/appointment_reminder",
            context={"appointment": appointment, "start": start},
        )
    else:
        send_chat_message(
            text=(
                f"Reminder for {appointment.patient.patient_number}: appointment with "
                f"{appointment.doctor} ({appointment.doctor.department}) today at {start:%H:%M}."
            )
        )


def reminder_send(*, appointment_id: int, channel: str, now: datetime | None = None) -> bool:
    """Claim and send one reminder; True if this call sent it.

    At most once per appointment and channel: the claim is written before
    sending. If sending fails the claim is given back and the error raised,
    so the task's retry can send it later.
    """
    now = now or timezone.now()
    appointment = (
        Appointment.objects.with_people()
        .filter(pk=appointment_id, status=Appointment.Status.BOOKED)
        .first()
    )
    if appointment is None:  # cancelled (or gone) since the job found it
        return False
    claim = _claim(appointment, channel, now)
    if claim is None:
        return False
    try:
        _deliver(appointment, channel)
    except Exception:
        Reminder.objects.filter(pk=claim.pk, sent_at=None).delete()
        raise
    Reminder.objects.filter(pk=claim.pk).update(sent_at=timezone.now())
    return True


def daily_reminders_send(*, day: date | None = None) -> int:
    """Enqueue a reminder per channel for each booked appointment of ``day`` (today).

    Each reminder is its own task, so one failure neither stops the others
    nor, when retried, sends the rest again. Returns how many were enqueued.
    """
    day = day or clinic_today()
    booked = selectors.doctor_day_appointments(day=day).filter(status=Appointment.Status.BOOKED)
    enqueued = 0
    for channel in reminder_channels():
        # Reminders already sent are skipped here (one query), so a second run
        # of the job enqueues nothing; a claim left unsent is still retried.
        sent = Reminder.objects.filter(
            appointment=OuterRef("pk"), channel=channel, sent_at__isnull=False
        )
        ids = list(booked.exclude(Exists(sent)).values_list("pk", flat=True))
        for appointment_id in ids:
            try:
                tasks.send_reminder.delay(appointment_id, channel)
            except Exception:
                # Eager mode (a laptop) runs the task here: one failure is
                # logged and the others still go out.
                logger.exception("Reminder %s/%s failed", appointment_id, channel)
            enqueued += 1
    return enqueued
