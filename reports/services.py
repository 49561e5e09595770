"""Writes for reports: CSV export jobs (and, later, monthly reports)."""

from __future__ import annotations

import csv
import io
import logging
import tempfile
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

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
from hms.celery import enqueue, enqueue_on_commit
from hms.clinic_time import clinic_date
from hms.spreadsheet import safe_cell
from notifications import services as outbox
from reports import selectors, tasks
from reports.models import HEARTBEAT_EVERY, STALE_HEARTBEAT, ExportJob, MonthlyReport
from scheduling.models import Appointment
from scheduling.selectors import appointment_search

logger = logging.getLogger(__name__)

EXPORT_LIFETIME = timedelta(days=7)
PROGRESS_EVERY = 1000  # rows between progress updates
# An export whose worker died is run again automatically this many times in
# all; after that it fails, and the person or an admin can retry it.
EXPORT_MAX_ATTEMPTS = 2
STALLED = gettext_noop("The export stopped because the worker running it was lost. Try again.")


def appointment_columns() -> list[str]:
    """The header of an appointments export (in the active language); date and
    time name the clinic's zone.
    """
    zone = timezone.get_current_timezone_name()
    return [
        _("appointment id"),
        _("date (%(zone)s)") % {"zone": zone},
        _("time (%(zone)s)") % {"zone": zone},
        _("patient id"),
        _("patient name"),
        _("doctor"),
        _("department"),
        _("status"),
        _("reason"),
        _("cancellation reason"),
    ]


@transaction.atomic
def export_request(*, user, kind: str, filters: dict | None = None) -> ExportJob:
    """Start an export for ``user``; a worker writes it once this commits."""
    allowed = {Role.ADMIN: {ExportJob.Kind.APPOINTMENTS, ExportJob.Kind.TREATMENTS}}.get(
        user.role, {ExportJob.Kind.TREATMENTS} if user.role == Role.PATIENT else set()
    )
    if kind not in allowed:
        raise ValidationError(_("You cannot export this."))
    job = ExportJob.objects.create(requested_by=user, kind=kind, filters=filters or {})
    enqueue_on_commit(tasks.run_export, str(job.pk))
    return job


def _stalled(now: datetime) -> Q:
    """Running jobs whose worker has not been heard of for STALE_HEARTBEAT."""
    return Q(status=ExportJob.Status.RUNNING) & (
        Q(heartbeat_at__lt=now - STALE_HEARTBEAT)
        | Q(heartbeat_at=None, started_at__lt=now - STALE_HEARTBEAT)
    )


@transaction.atomic
def export_retry(*, job: ExportJob, now: datetime | None = None) -> ExportJob:
    """Run a failed export again, or one whose worker died (stalled)."""
    now = now or timezone.now()
    retryable = Q(status=ExportJob.Status.FAILED) | _stalled(now)
    if (
        ExportJob.objects.filter(retryable, pk=job.pk).update(
            status=ExportJob.Status.PENDING, error="", row_count=0, total_rows=None, attempts=0
        )
        != 1
    ):
        raise ValidationError(_("Only a failed or stalled export can be retried."))
    enqueue_on_commit(tasks.run_export, str(job.pk))
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
    words = Appointment.Status.words()

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
                words.get(status, status),
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
    status_labels = Appointment.Status.words()
    words = " ".join("WHEN %s THEN %s" for _value in status_labels)
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
    status_params = [str(value) for pair in status_labels.items() for value in pair]
    count = 0
    heartbeat = _SideHeartbeat(job)
    try:
        with connection.cursor() as cursor:
            query = ClientCursor(cursor.connection).mogrify(
                formatted, [zone, zone, *status_params, *params]
            )
            with cursor.cursor.copy(f"COPY ({query}) TO STDOUT WITH CSV") as copy:
                for data in copy:  # one message per row
                    out.write(data)
                    count += 1
                    if count % PROGRESS_EVERY == 0:
                        heartbeat.beat()
    finally:
        heartbeat.close()
    return count


class _SideHeartbeat:
    """Saves a job's heartbeat from a second database connection, at most every
    HEARTBEAT_EVERY: the job's own connection is busy with the COPY.
    """

    def __init__(self, job: ExportJob) -> None:
        self.job = job
        self.last = time.monotonic()
        self.connection = None

    def beat(self) -> None:
        if time.monotonic() - self.last < HEARTBEAT_EVERY.total_seconds():
            return
        self.last = time.monotonic()
        if self.connection is None:
            self.connection = connections.create_connection(DEFAULT_DB_ALIAS)
        table = self.connection.ops.quote_name(ExportJob._meta.db_table)
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET heartbeat_at = %s WHERE id = %s",  # noqa: S608
                [timezone.now(), self.job.pk],
            )

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


def treatment_columns() -> list[str]:
    """The header of a treatment history export, in the active language."""
    return [
        _("patient id"),
        _("patient name"),
        _("doctor"),
        _("department"),
        _("appointment date"),
        _("diagnosis"),
        _("treatment"),
        _("prescription"),
        _("next visit"),
    ]


def _prescription(items) -> str:
    """One cell: each line as "medicine dosage, frequency, N days (instructions)"."""
    lines = []
    for item in items:
        line = ngettext(
            "%(medicine)s %(dosage)s, %(frequency)s, %(days)d day",
            "%(medicine)s %(dosage)s, %(frequency)s, %(days)d days",
            item.duration_days,
        ) % {
            "medicine": item.medicine,
            "dosage": item.dosage,
            "frequency": item.frequency,
            "days": item.duration_days,
        }
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

    return treatment_columns(), rows(), treatments.count()


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
    however many rows there are; progress and a heartbeat are saved every
    PROGRESS_EVERY rows, so a worker that dies is noticed (exports_recover).
    """
    now = timezone.now()
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.PENDING).update(
        status=ExportJob.Status.RUNNING,
        started_at=now,
        heartbeat_at=now,
        attempts=F("attempts") + 1,
        row_count=0,
        error="",
    )
    if claimed != 1:
        return False
    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
    jobs = ExportJob.objects.filter(pk=job.pk)
    # The file is written in the language of the person who asked for it.
    with translation.override(job.requested_by.language):
        return _export_write(job, jobs, now)


def _export_write(job: ExportJob, jobs, now: datetime) -> bool:
    """``export_run``'s work on a claimed job: the file, then the job done and the e-mail."""
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
                        jobs.update(row_count=count, heartbeat_at=timezone.now())
            text.detach()  # leave ``out`` open for the storage
            out.seek(0)
            name = default_storage.save(f"exports/{job.pk}.csv", File(out))
    except Exception as exc:
        logger.exception("Export %s failed", job.pk)
        jobs.update(status=ExportJob.Status.FAILED, error=str(exc)[:2000], finished_at=now)
        return True
    finished = timezone.now()
    with transaction.atomic():
        jobs.update(
            status=ExportJob.Status.DONE,
            file=name,
            row_count=count,
            total_rows=count,
            finished_at=finished,
            expires_at=finished + EXPORT_LIFETIME,
        )
        job.refresh_from_db()
        outbox.notify(
            outbox.email(
                event_key=f"export:{job.pk}:ready",
                user=job.requested_by,
                template="reports/email/export_ready",
                context={
                    "job": job,
                    "path": outbox.site_url(reverse("reports:export-detail", args=[job.pk])),
                },
            )
        )
    return True


@transaction.atomic
def exports_recover(*, now: datetime | None = None) -> int:
    """Notice exports whose worker died (no heartbeat for STALE_HEARTBEAT): run
    each again, up to EXPORT_MAX_ATTEMPTS runs in all, then mark it failed so
    the person or an admin can retry it. Returns how many were run again.

    The periodic sweep (every two minutes) calls this; each job is taken with
    a conditional update, so two sweeps never run one job twice.
    """
    now = now or timezone.now()
    stalled = ExportJob.objects.filter(_stalled(now))
    failed = stalled.filter(attempts__gte=EXPORT_MAX_ATTEMPTS).update(
        status=ExportJob.Status.FAILED, error=STALLED, finished_at=now
    )
    requeued = 0
    for pk in stalled.filter(attempts__lt=EXPORT_MAX_ATTEMPTS).values_list("pk", flat=True):
        if ExportJob.objects.filter(_stalled(now), pk=pk).update(
            status=ExportJob.Status.PENDING, row_count=0, total_rows=None
        ):
            enqueue_on_commit(tasks.run_export, str(pk))
            requeued += 1
    if failed or requeued:
        logger.warning("Exports whose worker died: %s run again, %s failed", requeued, failed)
    return requeued


# A pending export this old missed its task (the broker was down): start it.
PENDING_GRACE = timedelta(minutes=1)


def exports_dispatch(*, now: datetime | None = None) -> int:
    """The sweep (every minute): hand exports still waiting to the workers.

    Running one twice is harmless: ``export_run`` claims the job first.
    """
    now = now or timezone.now()
    waiting = ExportJob.objects.filter(
        status=ExportJob.Status.PENDING, created_at__lt=now - PENDING_GRACE
    ).values_list("pk", flat=True)
    return sum(enqueue(tasks.run_export, str(pk)) for pk in waiting)


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


def _report_messages(report: MonthlyReport) -> list:
    """The doctor's e-mail and, when Google Chat is set up, the summary post."""
    figures = report.figures
    summary = _(
        "%(doctor)s (%(department)s), %(month)s: %(total)s appointments, "
        "%(seen)s patients seen, no-show rate %(rate)s%%."
    ) % {
        "doctor": report.doctor,
        "department": report.doctor.department,
        "month": date_format(report.month, "F Y"),
        "total": figures.get("total", 0),
        "seen": figures.get("patients_seen", 0),
        "rate": figures.get("no_show_rate", 0),
    }
    return [
        outbox.email(
            event_key=f"monthly-report:{report.pk}",
            user=report.doctor.user,
            template="reports/email/monthly_report",
            context={"report": report, "figures": figures},
        ),
        outbox.chat(event_key=f"monthly-report:{report.pk}", text=summary),
    ]


def monthly_report_create(*, doctor: Doctor, month: date) -> MonthlyReport:
    """The report of ``doctor`` for ``month``: made once, then read back as it was.

    Its e-mail to the doctor (and Google Chat post) is written with it, so a
    report made is a report sent, once.
    """
    month = month.replace(day=1)
    existing = MonthlyReport.objects.filter(doctor=doctor, month=month).first()
    if existing is not None:
        return existing
    # The report is kept as it was made, in the doctor's language.
    with translation.override(doctor.user.language):
        figures = selectors.doctor_month_figures(doctor=doctor, month=month)
        html = _report_html(doctor=doctor, month=month, figures=figures)
    try:
        with transaction.atomic():
            report = MonthlyReport.objects.create(
                doctor=doctor, month=month, html=html, figures=figures
            )
            outbox.notify(*_report_messages(report))
            return report
    except IntegrityError:  # another worker made it a moment ago
        return MonthlyReport.objects.get(doctor=doctor, month=month)


def _report_html(*, doctor: Doctor, month: date, figures: dict) -> str:
    return render_to_string(
        "reports/monthly_report_body.html",
        {
            "doctor": doctor,
            "month": month,
            "figures": figures,
            "clinic_name": settings.HMS_CLINIC_NAME,
        },
    )


def monthly_reports_run(*, month: date | None = None) -> int:
    """Make the report of every doctor with activity in ``month`` (last month);
    each is e-mailed with it. Safe to run again: nothing is made or sent twice.
    """
    month = (month or selectors.previous_month()).replace(day=1)
    made = 0
    for doctor in selectors.doctors_active_in(month):
        monthly_report_create(doctor=doctor, month=month)
        made += 1
    return made
