"""Writes for how a visit goes: completed (with its record), no-show, and the
front desk's check-in, walk-ins, the queue and its waiting-room screens.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import FRONT_DESK
from clinic.models import Doctor, Patient
from clinic.services import treatment_record
from hms.clinic_time import clinic_date, clinic_today
from scheduling import selectors
from scheduling.models import (
    Appointment,
    QueueDisplay,
)
from scheduling.services.booking import (
    _check_bookable,
    _check_patient_free,
    _lock_patient,
    _locked,
    _save_or_explain,
)


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
        raise ValidationError(_("Only the front desk can check in walk-ins."))
    _check_bookable(patient=patient, doctor=doctor)
    _lock_queue(doctor)
    slot = walk_in_slot(doctor=doctor, now=now)
    if slot is None:
        raise ValidationError(
            {
                "doctor": _("%(doctor)s has no free slot left today; choose another doctor or day.")
                % {"doctor": doctor}
            }
        )
    _lock_patient(patient)
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
        raise ValidationError(_("Nobody is waiting."))
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
