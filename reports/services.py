"""Writes for reports: CSV export jobs (and, later, monthly reports)."""

from __future__ import annotations

import csv
import io
import logging
import tempfile
from collections.abc import Iterator
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from clinic.models import (
    Department,
    Doctor,
    Treatment,
    doctor_name,
    doctor_name_sql,
    patient_number,
    patient_number_sql,
)
from hms.clinic_time import clinic_date
from hms.mail import send_templated_email
from hms.spreadsheet import safe_cell
from reports import selectors, tasks
from reports.models import ExportJob, MonthlyReport
from scheduling.models import Appointment
from scheduling.selectors import appointment_search

logger = logging.getLogger(__name__)

EXPORT_LIFETIME = timedelta(days=7)
PROGRESS_EVERY = 1000  # rows between progress updates
# A job still "running" this long after it started lost its worker.
STALE_RUN = timedelta(hours=2)
# A report e-mail claimed this long ago and never sent lost its worker.
STALE_SEND = timedelta(minutes=15)


def appointment_columns() -> list[str]:
    """The header of an appointments export; date and time name the clinic's zone."""
    zone = timezone.get_current_timezone_name()
    return [
        "appointment id",
        f"date ({zone})",
        f"time ({zone})",
        "patient id",
        "patient name",
        "doctor",
        "department",
        "status",
        "reason",
        "cancellation reason",
    ]


# Status as people read it ("No-show"), not as it is stored ("no_show").
STATUS_WORDS = dict(Appointment.Status.choices)


@transaction.atomic
def export_request(*, user, kind: str, filters: dict | None = None) -> ExportJob:
    """Start an export for ``user``; a worker writes it once this commits."""
    allowed = {Role.ADMIN: {ExportJob.Kind.APPOINTMENTS, ExportJob.Kind.TREATMENTS}}.get(
        user.role, {ExportJob.Kind.TREATMENTS} if user.role == Role.PATIENT else set()
    )
    if kind not in allowed:
        raise ValidationError("You cannot export this.")
    job = ExportJob.objects.create(requested_by=user, kind=kind, filters=filters or {})
    tasks.run_export.delay_on_commit(str(job.pk))
    return job


@transaction.atomic
def export_retry(*, job: ExportJob) -> ExportJob:
    """Run a failed export again."""
    if (
        ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.FAILED).update(
            status=ExportJob.Status.PENDING, error="", row_count=0, total_rows=None
        )
        != 1
    ):
        raise ValidationError("Only a failed export can be retried.")
    tasks.run_export.delay_on_commit(str(job.pk))
    job.refresh_from_db()
    return job


def _appointment_values(job: ExportJob):
    """The appointments of an export with its filters, as the columns the CSV needs."""
    f = job.filters
    qs = appointment_search(
        user=job.requested_by,
        query=f.get("q", ""),
        doctor=Doctor.objects.filter(pk=f["doctor"]).first() if f.get("doctor") else None,
        department=(
            Department.objects.filter(pk=f["department"]).first() if f.get("department") else None
        ),
        status=f.get("status", ""),
        date_from=date.fromisoformat(f["date_from"]) if f.get("date_from") else None,
        date_to=date.fromisoformat(f["date_to"]) if f.get("date_to") else None,
    )
    return qs.values_list(
        "pk",
        "start",
        "patient_id",
        "patient__user__first_name",
        "patient__user__last_name",
        "doctor__user__first_name",
        "doctor__user__last_name",
        "doctor__department__name",
        "status",
        "reason",
        "cancellation_reason",
    )


def _appointment_rows(job: ExportJob) -> tuple[list[str], Iterator, int]:
    values = _appointment_values(job)

    def rows():
        for row in values.iterator(chunk_size=2000):
            pk, start, patient_id, pf, pl, df, dl, dept, status, reason, cancellation = row
            local = timezone.localtime(start)
            yield [
                pk,
                f"{local:%Y-%m-%d}",
                f"{local:%H:%M}",
                patient_number(patient_id),
                f"{pf} {pl}",
                doctor_name(df, dl),
                dept,
                STATUS_WORDS.get(status, status),
                reason,
                cancellation,
            ]

    return appointment_columns(), rows(), values.count()


def _sql_cell(expression: str) -> str:
    """SQL for ``hms.spreadsheet.safe_cell``: a leading formula character gets a quote."""
    quote = "''''"  # one ' as an SQL literal
    return (
        f"CASE WHEN left({expression}, 1) IN ('=', '+', '-', '@', E'\\t', E'\\r') "
        f"THEN {quote} || {expression} ELSE {expression} END"
    )


def _copy_appointments(job: ExportJob, out) -> int:
    """The rows of ``_appointment_rows``, formatted by PostgreSQL and written with COPY.

    A million rows through the ORM cost many seconds of Python; COPY streams
    them at the database's speed. The same query (filters, scoping, order) is
    wrapped in a SELECT that formats each column as the Python path does; the
    export tests run both paths (SQLite and PostgreSQL legs). No progress is
    saved during the COPY: the connection runs nothing else meanwhile (a query
    would wait for the COPY, which waits to be read), and it takes seconds.
    """
    from psycopg import ClientCursor  # PostgreSQL only

    sql, params = _appointment_values(job).query.sql_with_params()
    name = _sql_cell("pf || ' ' || pl")
    words = " ".join("WHEN %s THEN %s" for _ in STATUS_WORDS)
    # The ORM's own SQL inside; every value is bound by mogrify below.
    formatted = (
        "SELECT pk, to_char(start AT TIME ZONE %s, 'YYYY-MM-DD'), "  # noqa: S608
        "to_char(start AT TIME ZONE %s, 'HH24:MI'), "
        f"{patient_number_sql('patient_id')}, {name}, {doctor_name_sql('df', 'dl')}, "
        f"{_sql_cell('dept')}, CASE status {words} ELSE status END, "
        f"{_sql_cell('reason')}, {_sql_cell('cancellation')} "
        f"FROM ({sql}) AS e "
        "(pk, start, patient_id, pf, pl, df, dl, dept, status, reason, cancellation)"
    )
    zone = timezone.get_current_timezone_name()
    status_params = [value for pair in STATUS_WORDS.items() for value in pair]
    count = 0
    with connection.cursor() as cursor:
        query = ClientCursor(cursor.connection).mogrify(
            formatted, [zone, zone, *status_params, *params]
        )
        with cursor.cursor.copy(f"COPY ({query}) TO STDOUT WITH CSV") as copy:
            for data in copy:  # one message per row
                out.write(data)
                count += 1
    return count


TREATMENT_COLUMNS = [
    "patient id",
    "patient name",
    "doctor",
    "department",
    "appointment date",
    "diagnosis",
    "treatment",
    "prescription",
    "next visit",
]


def _prescription(items) -> str:
    """One cell: each line as "medicine dosage, frequency, N days (instructions)"."""
    lines = []
    for item in items:
        line = f"{item.medicine} {item.dosage}, {item.frequency}, {item.duration_days} days"
        lines.append(f"{line} ({item.instructions})" if item.instructions else line)
    return "; ".join(lines)


def _treatment_rows(job: ExportJob) -> tuple[list[str], Iterator, int]:
    """A patient's visit records, oldest first: their own, or any one patient's for admins."""
    user = job.requested_by
    treatments = Treatment.objects.visible_to(user)
    if user.role == Role.PATIENT:
        treatments = treatments.filter(patient__user=user)
    elif job.filters.get("patient"):
        treatments = treatments.filter(patient_id=job.filters["patient"])
    treatments = treatments.select_related(
        "patient__user", "doctor__user", "doctor__department", "appointment"
    ).order_by("visit_date", "id")

    def rows():
        # Prefetching works chunk by chunk with iterator(), so memory stays flat.
        for t in treatments.prefetch_related("items").iterator(chunk_size=500):
            appointment = getattr(t, "appointment", None)
            when = clinic_date(appointment.start) if appointment else t.visit_date
            diagnosis = f"{t.diagnosis} [{t.icd10_code}]" if t.icd10_code else t.diagnosis
            yield [
                t.patient.patient_number,
                t.patient.user.get_full_name(),
                str(t.doctor),
                t.doctor.department.name,
                when.isoformat(),
                diagnosis,
                t.notes,
                _prescription(t.items.all()),
                t.next_visit_on.isoformat() if t.next_visit_on else "",
            ]

    return TREATMENT_COLUMNS, rows(), treatments.count()


SOURCES = {
    ExportJob.Kind.APPOINTMENTS: _appointment_rows,
    ExportJob.Kind.TREATMENTS: _treatment_rows,
}
# Exports PostgreSQL writes itself (COPY), on PostgreSQL.
COPY_SOURCES = {ExportJob.Kind.APPOINTMENTS: _copy_appointments}


def export_run(*, job_id: str) -> bool:
    """Write the CSV of one export; True if this call ran it.

    The job is claimed with a conditional update (pending -> running), so a
    redelivered task or a second worker does nothing. Rows are streamed
    from the database in chunks to a temporary file, so memory stays flat
    however many rows there are; progress is saved every PROGRESS_EVERY rows.
    """
    now = timezone.now()
    claimable = Q(status=ExportJob.Status.PENDING) | Q(
        status=ExportJob.Status.RUNNING, started_at__lt=now - STALE_RUN
    )
    claimed = ExportJob.objects.filter(claimable, pk=job_id).update(
        status=ExportJob.Status.RUNNING, started_at=now, row_count=0, error=""
    )
    if claimed != 1:
        return False
    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
    jobs = ExportJob.objects.filter(pk=job.pk)
    try:
        header, rows, total = SOURCES[job.kind](job)
        jobs.update(total_rows=total)
        copy = COPY_SOURCES.get(job.kind) if connection.vendor == "postgresql" else None
        count = 0
        with tempfile.TemporaryFile("w+b") as out:
            # With a byte order mark, so Excel reads the names as UTF-8 (not
            # its local code page); other programs skip it.
            text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
            writer = csv.writer(text)
            writer.writerow(header)
            if copy is not None:
                count = copy(job, out)
            else:
                for count, row in enumerate(rows, start=1):
                    writer.writerow([safe_cell(v) for v in row])
                    if count % PROGRESS_EVERY == 0:
                        jobs.update(row_count=count)
            text.detach()  # leave ``out`` open for the storage
            out.seek(0)
            name = default_storage.save(f"exports/{job.pk}.csv", File(out))
    except Exception as exc:
        logger.exception("Export %s failed", job.pk)
        jobs.update(status=ExportJob.Status.FAILED, error=str(exc)[:2000], finished_at=now)
        return True
    finished = timezone.now()
    jobs.update(
        status=ExportJob.Status.DONE,
        file=name,
        row_count=count,
        total_rows=count,
        finished_at=finished,
        expires_at=finished + EXPORT_LIFETIME,
    )
    job.refresh_from_db()
    send_templated_email(
        to=[job.requested_by.email],
        template="reports/email/export_ready",
        context={"job": job, "path": reverse("reports:export-detail", args=[job.pk])},
    )
    return True


def exports_expire(*, now=None) -> int:
    """Delete the files of exports past their 7 days; returns how many expired."""
    now = now or timezone.now()
    expired = 0
    for job in ExportJob.objects.filter(status=ExportJob.Status.DONE, expires_at__lt=now):
        # Claim first, so two cleanups never delete the same file twice.
        if ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.DONE).update(
            status=ExportJob.Status.EXPIRED
        ):
            if job.file:
                default_storage.delete(job.file.name)
            expired += 1
    return expired


# Monthly doctor reports


def monthly_report_create(*, doctor: Doctor, month: date) -> MonthlyReport:
    """The report of ``doctor`` for ``month``: made once, then read back as it was."""
    month = month.replace(day=1)
    existing = MonthlyReport.objects.filter(doctor=doctor, month=month).first()
    if existing is not None:
        return existing
    figures = selectors.doctor_month_figures(doctor=doctor, month=month)
    html = render_to_string(
        "reports/monthly_report_body.html",
        {
            "doctor": doctor,
            "month": month,
            "figures": figures,
            "clinic_name": settings.HMS_CLINIC_NAME,
        },
    )
    try:
        with transaction.atomic():
            return MonthlyReport.objects.create(
                doctor=doctor, month=month, html=html, figures=figures
            )
    except IntegrityError:  # another worker made it a moment ago
        return MonthlyReport.objects.get(doctor=doctor, month=month)


def monthly_report_send(*, report_id: int, now: datetime | None = None) -> bool:
    """E-mail a report to its doctor once; True if this call sent it.

    Claimed with a conditional update before sending; a failure gives the
    claim back and raises, for the task's retry.
    """
    now = now or timezone.now()
    claim = MonthlyReport.objects.filter(pk=report_id, sent_at=None).filter(
        Q(send_claimed_at=None) | Q(send_claimed_at__lt=now - STALE_SEND)
    )
    if claim.update(send_claimed_at=now) != 1:
        return False
    report = MonthlyReport.objects.select_related("doctor__user", "doctor__department").get(
        pk=report_id
    )
    try:
        send_templated_email(
            to=[report.doctor.user.email],
            template="reports/email/monthly_report",
            context={"report": report, "figures": report.figures},
        )
    except Exception:
        MonthlyReport.objects.filter(pk=report_id).update(send_claimed_at=None)
        raise
    MonthlyReport.objects.filter(pk=report_id).update(sent_at=timezone.now())
    return True


def monthly_reports_run(*, month: date | None = None) -> int:
    """Make the report of every doctor with activity in ``month`` (last month) and
    enqueue its e-mail. Safe to run again: nothing is made or sent twice.
    """
    month = (month or selectors.previous_month()).replace(day=1)
    made = 0
    for doctor in selectors.doctors_active_in(month):
        report = monthly_report_create(doctor=doctor, month=month)
        if report.sent_at is None:
            try:
                tasks.send_monthly_report.delay(report.pk)
            except Exception:
                logger.exception("Monthly report %s could not be sent", report.pk)
        made += 1
    return made
