"""Writes for booking: book, reschedule and cancel, whoever does it (the patient,
or the front desk for them).

The booking guarantee lives in the database (see the Appointment constraints
and migration 0002); the checks here give the clear message first, and a lost
race that slips past them becomes the same message, never a 500.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import FRONT_DESK, Role
from clinic.models import Doctor, Patient
from hms.dates import local_day_or_none
from notifications import services as outbox
from scheduling import notices, selectors, waitlist
from scheduling.models import (
    PATIENT_BUSY,
    SLOT_TAKEN,
    Appointment,
)

SLOT_GONE = gettext_lazy("That slot is no longer available, please choose another.")

# Booking


def _check_bookable(*, patient: Patient, doctor: Doctor) -> None:
    if not patient.user.is_active:
        raise ValidationError(_("This patient account is disabled and cannot book appointments."))
    if not doctor.is_bookable:
        raise ValidationError(
            _("%(doctor)s is not taking bookings at the moment.") % {"doctor": doctor}
        )


def _lock_patient(patient: Patient) -> None:
    """Take the patient's row lock, so two bookings of one patient at once (two
    doctors, two tabs, the desk and the patient) run one after the other: the
    second then sees the first and gets PATIENT_BUSY. Without it, PostgreSQL's
    exclusion checks of the two new rows can wait on each other (a deadlock).
    """
    Patient.objects.select_for_update().filter(pk=patient.pk).values_list("pk", flat=True).get()


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
            _(
                "Appointments must be booked at least %(minutes)d minutes ahead; "
                "please choose a later slot."
            )
            % {"minutes": lead},
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
    except OperationalError as exc:
        # Two bookings that each wait for the other's new row: PostgreSQL ends
        # one of them (a deadlock). That one lost the race, like any other.
        if getattr(exc.__cause__, "sqlstate", None) != "40P01":
            raise
        raise ValidationError(SLOT_TAKEN, code="slot_taken") from exc


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
        raise ValidationError(_("Only the front desk can book for another person."))
    _check_bookable(patient=patient, doctor=doctor)
    slot = selectors.find_free_slot(doctor=doctor, start=start, now=now)
    if slot is None:
        raise _slot_unavailable(doctor=doctor, start=start, now=now)
    _lock_patient(patient)
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
        raise ValidationError(_("That is the time you already have; choose another slot."))
    _lock_patient(appointment.patient)
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
        raise ValidationError({"reason": _("Please tell the patient why the visit is cancelled.")})
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
        raise ValidationError({"reason": _("Please tell the patient why.")})
    upcoming = list(selectors.patient_upcoming(patient=patient, now=now))
    for appointment in upcoming:
        appointment_cancel(appointment=appointment, by=by, reason=reason, now=now)
    return len(upcoming)
