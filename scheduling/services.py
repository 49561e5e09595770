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
from django.db.models import CharField, Exists, F, Max, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from accounts.roles import FRONT_DESK, Role
from clinic.models import Doctor, Patient
from clinic.services import treatment_record
from hms.clinic_time import at_clinic_time, clinic_date, clinic_today
from hms.dates import beyond_horizon_message, local_day_or_none, planning_horizon
from notifications import services as outbox
from notifications.models import Notification
from scheduling import notices, selectors, waitlist
from scheduling.models import (
    PATIENT_BUSY,
    SLOT_TAKEN,
    Appointment,
    AvailabilityException,
    QueueDisplay,
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
    selectors.slots_changed(doctor_id=doctor.pk)
    return block


@transaction.atomic
def weekly_block_remove(*, block: WeeklyAvailability) -> None:
    doctor_id = block.doctor_id
    block.delete()
    selectors.slots_changed(doctor_id=doctor_id)


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
    if date > planning_horizon(clinic_today()):
        return []  # exception_add refuses the date itself, with the horizon's message
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
    if date > planning_horizon(today):
        raise ValidationError({"date": beyond_horizon_message()})
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
    selectors.slots_changed(doctor_id=doctor.pk)
    if cancel_affected:
        for appointment in exception_affected(
            doctor=doctor, date=date, kind=kind, start_time=start_time, end_time=end_time
        ):
            appointment_cancel(appointment=appointment, by=by, reason=reason)
    return exception


@transaction.atomic
def exception_remove(*, exception: AvailabilityException) -> None:
    doctor_id = exception.doctor_id
    exception.delete()
    selectors.slots_changed(doctor_id=doctor_id)


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
    if local_day_or_none(start) is None:
        return ValidationError(SLOT_GONE, code="slot_gone")
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
    by=None,
    now: datetime | None = None,
) -> Appointment:
    """Book ``patient`` into the free slot of ``doctor`` that starts at ``start``.

    The slot must be one the generator offers now (inside the booking window,
    after the lead time, in the doctor's hours, not taken), whoever books:
    the patient, or the front desk on their behalf (``by``; recorded as
    ``booked_by``, the patient themself when not given).
    """
    if by is not None and by.pk != patient.user_id and by.role not in FRONT_DESK:
        raise ValidationError("Only the front desk can book for another person.")
    _check_bookable(patient=patient, doctor=doctor)
    slot = selectors.find_free_slot(doctor=doctor, start=start, now=now)
    if slot is None:
        raise _slot_unavailable(doctor=doctor, start=start, now=now)
    _check_patient_free(patient=patient, start=slot.start, end=slot.end)
    appointment = Appointment(
        patient=patient,
        doctor=doctor,
        start=slot.start,
        end=slot.end,
        reason=reason.strip(),
        booked_by_id=by.pk if by is not None else patient.user_id,
    )
    # The patient and doctor were loaded just now: checking that they exist
    # would cost two queries for nothing.
    appointment.full_clean(exclude=["patient", "doctor"], validate_constraints=False)
    _save_or_explain(appointment)
    selectors.slots_changed(doctor_id=doctor.pk)
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
    selectors.slots_changed(doctor_id=appointment.doctor_id)
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
    selectors.slots_changed(doctor_id=appointment.doctor_id)
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
    selectors.slots_changed(doctor_id=appointment.doctor_id)
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


# The front desk: check-in, walk-ins and the queue


def _lock_queue(doctor: Doctor) -> None:
    """Take the doctor's row lock: check-ins, walk-ins and calls of one doctor
    run one at a time, so each gets the next token and none is handed out
    twice (the unique constraint on the token backs this up). SQLite runs one
    writer at a time anyway.
    """
    Doctor.objects.select_for_update().filter(pk=doctor.pk).values_list("pk", flat=True).get()


def _next_token(*, doctor: Doctor, day: date) -> int:
    last = Appointment.objects.filter(doctor=doctor, queue_day=day).aggregate(last=Max("token"))
    return (last["last"] or 0) + 1


def _arrive(appointment: Appointment, *, now: datetime) -> None:
    day = clinic_today(now)
    appointment.status = Appointment.Status.ARRIVED
    appointment.queue_day = day
    appointment.token = _next_token(doctor=appointment.doctor, day=day)
    appointment.arrived_at = now


@transaction.atomic
def appointment_check_in(*, appointment: Appointment, by, now: datetime | None = None):
    """The front desk checks in a patient who has arrived for today's booking.

    They get the next token of their doctor's queue that day. Checking in
    someone already checked in changes nothing (same token), so a double
    click or two desks at once never give one patient two places.
    """
    now = now or timezone.now()
    _lock_queue(appointment.doctor)
    appointment = _locked(appointment)
    if appointment.status == Appointment.Status.ARRIVED:
        return appointment
    refusal = appointment.check_in_refusal(by=by, now=now)
    if refusal:
        raise ValidationError(refusal)
    _arrive(appointment, now=now)
    appointment.save(update_fields=["status", "queue_day", "token", "arrived_at", "updated_at"])
    return appointment


def walk_in_slot(*, doctor: Doctor, now: datetime | None = None) -> selectors.Slot | None:
    """The slot a walk-in takes: the doctor's first free slot today that has not
    ended yet (the one under way included; the booking lead time does not
    apply to someone standing at the desk). None when today is full.
    """
    now = now or timezone.now()
    day = clinic_today(now)
    length = timedelta(minutes=doctor.consultation_minutes)
    slots = selectors.free_slots(
        doctor=doctor, now=now, only_day=day, earliest=now - length + timedelta(microseconds=1)
    )
    return next(iter(slots.get(day, [])), None)


@transaction.atomic
def walk_in_check_in(
    *, patient: Patient, doctor: Doctor, by, reason: str = "", now: datetime | None = None
) -> Appointment:
    """Check in a patient who came without a booking, straight into ``doctor``'s
    queue: an appointment in the doctor's next free slot today, already
    Arrived, with the next token.

    No overbooking: when the doctor has no free slot left today the desk is
    told so and books another day or another doctor. (An overbooked visit
    would have to be left out of the database's no-overlap guarantee, which
    protects every booking; that trade is not made silently.)
    """
    now = now or timezone.now()
    if by.role not in FRONT_DESK:
        raise ValidationError("Only the front desk can check in walk-ins.")
    _check_bookable(patient=patient, doctor=doctor)
    _lock_queue(doctor)
    slot = walk_in_slot(doctor=doctor, now=now)
    if slot is None:
        raise ValidationError(
            {"doctor": f"{doctor} has no free slot left today; choose another doctor or day."}
        )
    _check_patient_free(patient=patient, start=slot.start, end=slot.end)
    appointment = Appointment(
        patient=patient,
        doctor=doctor,
        start=slot.start,
        end=slot.end,
        reason=reason.strip(),
        booked_by=by,
        is_walk_in=True,
    )
    _arrive(appointment, now=now)
    appointment.full_clean(exclude=["patient", "doctor"], validate_constraints=False)
    _save_or_explain(appointment)
    selectors.slots_changed(doctor_id=doctor.pk)
    return appointment


@transaction.atomic
def queue_call_next(*, doctor: Doctor, by, now: datetime | None = None) -> Appointment:
    """The doctor calls in the next patient: the lowest token of today's queue
    not yet called. The waiting-room screen then shows that token.
    """
    now = now or timezone.now()
    _lock_queue(doctor)
    waiting = (
        Appointment.objects.filter(
            doctor=doctor,
            queue_day=clinic_today(now),
            status=Appointment.Status.ARRIVED,
            called_at=None,
        )
        .select_related("patient__user", "doctor__user")
        .order_by("token")
        .first()
    )
    if waiting is None:
        raise ValidationError("Nobody is waiting.")
    refusal = waiting.call_refusal(by=by, now=now)
    if refusal:
        raise ValidationError(refusal)
    waiting.called_at = now
    waiting.save(update_fields=["called_at", "updated_at"])
    return waiting


@transaction.atomic
def queue_display_create(*, display: QueueDisplay, by) -> QueueDisplay:
    """Save a new waiting-room screen link (its token is random and secret)."""
    display.created_by = by
    display.full_clean()
    display.save()
    return display


@transaction.atomic
def queue_display_revoke(*, display: QueueDisplay, now: datetime | None = None) -> bool:
    """Revoke a screen link: it gives 404 from now on. True if this call did it."""
    return (
        QueueDisplay.objects.filter(pk=display.pk, revoked_at=None).update(
            revoked_at=now or timezone.now()
        )
        == 1
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
