"""Scheduling test data, built through the services as the app does."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from clinic.models import Doctor, Patient
from scheduling import services
from scheduling.models import Appointment


def open_every_day(doctor: Doctor, start: str = "09:00", end: str = "13:00") -> None:
    """Give ``doctor`` the same opening hours on all seven weekdays."""
    for weekday in range(7):
        services.weekly_block_add(
            doctor=doctor,
            weekday=weekday,
            start_time=time.fromisoformat(start),
            end_time=time.fromisoformat(end),
        )


def local(text: str) -> datetime:
    """An aware datetime in the clinic's zone from ``YYYY-MM-DD HH:MM``."""
    return timezone.make_aware(datetime.fromisoformat(text))


def book(patient: Patient, doctor: Doctor, start: datetime, reason: str = "") -> Appointment:
    return services.appointment_book(patient=patient, doctor=doctor, start=start, reason=reason)


def past_visit(
    patient: Patient, doctor: Doctor, start: datetime, status: str = Appointment.Status.COMPLETED
) -> Appointment:
    """A visit in the past (bookings are only for the future, so it is written directly)."""
    appointment = Appointment(
        patient=patient,
        doctor=doctor,
        start=start,
        end=start + timedelta(minutes=doctor.consultation_minutes),
        status=status,
    )
    appointment.full_clean(validate_constraints=False)
    appointment.save()
    return appointment
