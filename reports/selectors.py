"""Reads for the admin home (the hospital's counts and the dashboard's charts)
and for the monthly doctor reports.

Every figure is a database aggregate (one query per table or chart); Python
only shapes the aggregated rows for the page. Days are local days in the
clinic's zone. The whole dashboard is cached for a short time
(``HMS_DASHBOARD_CACHE_SECONDS``), so a busy front desk reloading the page
does not re-run the aggregates; the page says when the figures were taken.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    Case,
    Count,
    F,
    FilteredRelation,
    Min,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.models import User
from clinic import icd10
from clinic.models import (
    Department,
    Doctor,
    Patient,
    PrescriptionItem,
    Treatment,
    doctor_name,
)
from hms.clinic_time import clinic_today, clinic_zone, day_range, month_bounds
from scheduling.models import Appointment

DASHBOARD_CACHE_KEY = "reports:dashboard:v1"
CHART_DAYS = 30
BUSIEST_DOCTORS = 10
# The statuses reported on: a hold is an offer waiting for an answer, not a visit.
STATUSES = [s for s in Appointment.Status if s != Appointment.Status.HELD]


def hospital_counts() -> dict[str, int]:
    return {
        "departments": Department.objects.filter(is_active=True).count(),
        "doctors": Doctor.objects.filter(user__is_active=True).count(),
        "patients": Patient.objects.filter(user__is_active=True).count(),
        "disabled_accounts": User.objects.filter(is_active=False).count(),
    }


def _by_status(prefix: str = "", within: Q | None = None) -> dict[str, Count]:
    """One ``Count`` per status of the appointments at ``prefix``, those ``within`` only."""
    return {
        status.value: Count(
            f"{prefix}id", filter=Q(**{f"{prefix}status": status.value}) & (within or Q())
        )
        for status in STATUSES
    }


def appointment_counts(*, today: date) -> dict[str, Any]:
    """Appointments today, this week (Monday to Sunday) and all time by status; one query."""
    week_start = today - timedelta(days=today.weekday())
    today_range = day_range(today)
    week_range = day_range(week_start, week_start + timedelta(days=6))
    row = Appointment.objects.aggregate(
        today=Count("id", filter=Q(start__gte=today_range[0], start__lt=today_range[1])),
        week=Count("id", filter=Q(start__gte=week_range[0], start__lt=week_range[1])),
        total=Count("id"),
        **_by_status(),
    )
    return {
        "today": row["today"],
        "week": row["week"],
        "week_start": week_start,
        "total": row["total"],
        "by_status": [
            {"status": s.value, "label": s.label, "count": row[s.value]} for s in STATUSES
        ],
    }


def appointments_per_day(*, first: date, last: date) -> dict[str, Any]:
    """Appointments per local day from ``first`` to ``last``, stacked by status; one query.

    Days without appointments are there with zeros, so the axis has no gaps.
    """
    start, end = day_range(first, last)
    rows = (
        Appointment.objects.filter(start__gte=start, start__lt=end)
        .annotate(day=TruncDate("start", tzinfo=clinic_zone()))
        .values("day")
        .annotate(**_by_status())
        .order_by("day")
    )
    by_day = {row["day"]: row for row in rows}
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    zero = dict.fromkeys((s.value for s in STATUSES), 0)
    return {
        "rows": [
            {
                "day": d,
                "counts": [by_day.get(d, zero)[s.value] for s in STATUSES],
                "total": sum(by_day.get(d, zero)[s.value] for s in STATUSES),
            }
            for d in days
        ],
        "labels": [f"{d.day} {d:%b}" for d in days],
        "series": [
            {
                "status": s.value,
                "label": s.label,
                "data": [by_day.get(d, zero)[s.value] for d in days],
            }
            for s in STATUSES
        ],
    }


def departments_activity(*, first: date, last: date) -> list[dict[str, Any]]:
    """Per department: appointments by status from ``first`` to ``last``, and the no-show rate.

    The no-show rate is no-shows out of the visits whose outcome is known
    (completed or no-show); cancelled and still-booked ones do not count.
    It is None when a department has no such visit. Active departments are
    listed even without appointments; a closed one only if it had some.
    One query.
    """
    # The window sits in the join (FilteredRelation), not in the counts' FILTER:
    # the database then reads only those days' appointments (the start index),
    # not all of them (seconds at a million rows).
    start, end = day_range(first, last)
    recent = FilteredRelation(
        "doctors__appointments",
        condition=Q(doctors__appointments__start__gte=start, doctors__appointments__start__lt=end),
    )
    counts = _by_status("recent__")
    rows = (
        Department.objects.annotate(recent=recent)
        .annotate(total=Count("recent"), **counts)
        .filter(Q(is_active=True) | Q(total__gt=0))
        .order_by("-total", "name")
        .values("pk", "name", "total", *counts)
    )
    result = []
    for row in rows:
        outcomes = row[Appointment.Status.COMPLETED] + row[Appointment.Status.NO_SHOW]
        rate = round(100 * row[Appointment.Status.NO_SHOW] / outcomes, 1) if outcomes else None
        result.append({**row, "outcomes": outcomes, "no_show_rate": rate})
    return result


def busiest_doctors(*, first: date, last: date, limit: int = BUSIEST_DOCTORS) -> list[dict]:
    """The doctors with the most completed visits from ``first`` to ``last``; one query.

    The window is in the join (see ``departments_activity``).
    """
    start, end = day_range(first, last)
    done = FilteredRelation(
        "appointments",
        condition=Q(
            appointments__status=Appointment.Status.COMPLETED,
            appointments__start__gte=start,
            appointments__start__lt=end,
        ),
    )
    rows = (
        Doctor.objects.annotate(done=done)
        .annotate(completed=Count("done"))
        .filter(completed__gt=0)
        .order_by("-completed", "user__last_name", "user__first_name", "pk")
        .values("pk", "user__first_name", "user__last_name", "department__name", "completed")[
            :limit
        ]
    )
    return [
        {
            "pk": row["pk"],
            "name": doctor_name(row["user__first_name"], row["user__last_name"]),
            "department": row["department__name"],
            "completed": row["completed"],
        }
        for row in rows
    ]


def diagnosis_counts(treatments: QuerySet[Treatment], *, limit: int = 10) -> list[dict[str, Any]]:
    """The most frequent diagnoses of ``treatments``; one query.

    Visits with an ICD-10 code count by the code, whatever the free text says
    ("Hypertension", "HTN" and "High BP" coded I10 are one row, named by the
    code's description); visits without one count by their text.
    """
    rows = (
        treatments.order_by()
        .annotate(
            text=Case(
                When(icd10_code="", then=F("diagnosis")),
                default=Value(""),
                output_field=TextField(),
            )
        )
        .values("icd10_code", "text")
        .annotate(n=Count("id"), written=Min("diagnosis"))
        .order_by("-n", "icd10_code", "text")[:limit]
    )
    return [
        {
            "diagnosis": icd10.description(r["icd10_code"]) or r["written"],
            "code": r["icd10_code"],
            "count": r["n"],
        }
        for r in rows
    ]


def top_diagnoses(*, first: date, last: date, limit: int = 10) -> list[dict[str, Any]]:
    """The most frequent diagnoses of the visits recorded from ``first`` to ``last``."""
    return diagnosis_counts(
        Treatment.objects.filter(visit_date__gte=first, visit_date__lte=last), limit=limit
    )


def dashboard_figures(*, now: datetime | None = None) -> dict[str, Any]:
    """Everything the admin home shows, computed now (nine queries, however many rows)."""
    now = now or timezone.now()
    today = clinic_today(now)
    first = today - timedelta(days=CHART_DAYS - 1)
    departments = departments_activity(first=first, last=today)
    doctors = busiest_doctors(first=first, last=today)
    per_day = appointments_per_day(first=first, last=today)
    return {
        "updated_at": now,
        "first": first,
        "last": today,
        "counts": hospital_counts(),
        "appointments": appointment_counts(today=today),
        "per_day": per_day,
        "departments": departments,
        "busiest_doctors": doctors,
        "diagnoses": top_diagnoses(first=first, last=today),
        # What the charts draw, for json_script; the tables show the same numbers.
        "chart_data": {
            "perDay": {
                "labels": per_day["labels"],
                "series": [
                    {"status": s["status"], "label": s["label"], "data": s["data"]}
                    for s in per_day["series"]
                ],
            },
            "perDepartment": {
                "labels": [d["name"] for d in departments],
                "data": [d["total"] for d in departments],
            },
            "busiestDoctors": {
                "labels": [d["name"] for d in doctors],
                "data": [d["completed"] for d in doctors],
            },
            "noShowRate": {
                "labels": [d["name"] for d in departments if d["no_show_rate"] is not None],
                "data": [d["no_show_rate"] for d in departments if d["no_show_rate"] is not None],
            },
        },
    }


def admin_dashboard(*, now: datetime | None = None) -> dict[str, Any]:
    """The admin home's figures, from the cache if taken in the last few minutes.

    The figures carry their own expiry (``fresh_until``, shown on the page)
    and it is checked here as well as by the cache's timeout, so they are
    recounted when the page says, by the application's clock.
    """
    now = now or timezone.now()
    figures = cache.get(DASHBOARD_CACHE_KEY)
    if figures is None or figures["fresh_until"] <= now:
        timeout = settings.HMS_DASHBOARD_CACHE_SECONDS
        figures = dashboard_figures(now=now)
        figures["fresh_until"] = figures["updated_at"] + timedelta(seconds=timeout)
        cache.set(DASHBOARD_CACHE_KEY, figures, timeout)
    return figures


# Monthly doctor reports


def previous_month(today: date | None = None) -> date:
    today = today or clinic_today()
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
    by_status = {str(s.label): counts.get(s.value, 0) for s in STATUSES}  # JSON keys: str
    total = sum(by_status.values())
    no_shows = counts.get(Appointment.Status.NO_SHOW, 0)
    attended_or_missed = no_shows + counts.get(Appointment.Status.COMPLETED, 0)
    patients_seen = (
        appointments.filter(status=Appointment.Status.COMPLETED)
        .values("patient_id")
        .distinct()
        .count()
    )
    treatments = Treatment.objects.filter(
        doctor=doctor, visit_date__gte=start.date(), visit_date__lt=end.date()
    )
    medicines = (
        PrescriptionItem.objects.filter(treatment__in=treatments)
        .order_by()
        .values("medicine")
        .annotate(n=Count("id"))
        .order_by("-n", "medicine")[:10]
    )
    return {
        "month": month.isoformat(),
        "visits_recorded": treatments.count(),
        "diagnoses": diagnosis_counts(treatments),
        "medicines": [{"medicine": m["medicine"], "count": m["n"]} for m in medicines],
        "total": total,
        "by_status": by_status,
        "patients_seen": patients_seen,
        "no_shows": no_shows,
        "no_show_rate": round(100 * no_shows / attended_or_missed, 1) if attended_or_missed else 0,
    }
