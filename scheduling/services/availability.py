"""Writes for doctors' availability: weekly blocks and dated exceptions (leave,
holidays, changed hours), and what an exception does to booked visits.
"""

from __future__ import annotations

from datetime import date, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clinic.models import Doctor
from hms.clinic_time import at_clinic_time, clinic_today
from hms.dates import beyond_horizon_message, planning_horizon
from scheduling import selectors
from scheduling.models import (
    Appointment,
    AvailabilityException,
    WeeklyAvailability,
)
from scheduling.services.booking import appointment_cancel

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
        raise ValidationError(_("This block overlaps %(block)s.") % {"block": clash})
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
        raise ValidationError({"date": _("Choose today or a later date.")})
    if date > planning_horizon(today):
        raise ValidationError({"date": beyond_horizon_message()})
    if cancel_affected and not reason.strip():
        raise ValidationError({"cancel_reason": _("Please tell the patients why.")})
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
            {"date": _("There is already an exception on that date; remove it first.")}
        )
    if not exception.is_all_day:
        if same_day.exclude(kind=AvailabilityException.Kind.CHANGED_HOURS).exists():
            raise ValidationError({"date": _("That date is already marked as leave or a holiday.")})
        if same_day.filter(start_time__lt=end_time, end_time__gt=start_time).exists():
            raise ValidationError(_("These hours overlap other changed hours on that date."))
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
