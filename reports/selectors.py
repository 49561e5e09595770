"""Reads for the admin home and the monthly doctor reports."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Count, QuerySet
from django.utils import timezone

from accounts.models import User
from clinic.models import Department, Doctor, Patient
from scheduling.models import Appointment


def hospital_counts() -> dict[str, int]:
    return {
        "departments": Department.objects.filter(is_active=True).count(),
        "doctors": Doctor.objects.filter(user__is_active=True).count(),
        "patients": Patient.objects.filter(user__is_active=True).count(),
        "disabled_accounts": User.objects.filter(is_active=False).count(),
    }


# Monthly doctor reports


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The first moment of ``month`` and of the month after, in the clinic's zone."""
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    zone = timezone.get_default_timezone()
    return (
        datetime.combine(first, time.min).replace(tzinfo=zone),
        datetime.combine(following, time.min).replace(tzinfo=zone),
    )


def previous_month(today: date | None = None) -> date:
    today = today or timezone.localdate()
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def doctors_active_in(month: date) -> QuerySet[Doctor]:
    start, end = month_bounds(month)
    active = Appointment.objects.filter(start__gte=start, start__lt=end).values("doctor_id")
    return Doctor.objects.filter(pk__in=active).select_related("user", "department")


def doctor_month_figures(*, doctor: Doctor, month: date) -> dict:
    """What a doctor's month looked like, from aggregates only."""
    start, end = month_bounds(month)
    appointments = Appointment.objects.filter(doctor=doctor, start__gte=start, start__lt=end)
    counts = dict(
        appointments.order_by()
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    by_status = {label: counts.get(value, 0) for value, label in Appointment.Status.choices}
    total = sum(by_status.values())
    no_shows = counts.get(Appointment.Status.NO_SHOW, 0)
    attended_or_missed = no_shows + counts.get(Appointment.Status.COMPLETED, 0)
    patients_seen = (
        appointments.filter(status=Appointment.Status.COMPLETED)
        .values("patient_id")
        .distinct()
        .count()
    )
    return {
        "month": month.isoformat(),
        "total": total,
        "by_status": by_status,
        "patients_seen": patients_seen,
        "no_shows": no_shows,
        "no_show_rate": round(100 * no_shows / attended_or_missed, 1) if attended_or_missed else 0,
    }
