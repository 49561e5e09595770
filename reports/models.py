from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role

# A running export's worker saves a heartbeat at least this often...
HEARTBEAT_EVERY = timedelta(seconds=30)
# ...so one not heard of for this long died (killed, out of memory, host lost).
STALE_HEARTBEAT = timedelta(minutes=5)


class ExportJobQuerySet(models.QuerySet):
    def visible_to(self, user) -> ExportJobQuerySet:
        """Admins see every export; everyone else only the ones they asked for."""
        if not user.is_authenticated:
            return self.none()
        if user.role == Role.ADMIN:
            return self
        return self.filter(requested_by=user)


class ExportJob(models.Model):
    """A CSV export someone asked for, written by a worker in the background."""

    class Kind(models.TextChoices):
        APPOINTMENTS = "appointments", _("Appointments")
        TREATMENTS = "treatments", _("Treatment history")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")

    id = models.UUIDField(_("id"), primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="export_jobs",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    file = models.FileField(_("file"), upload_to="exports/", blank=True)
    row_count = models.PositiveIntegerField(_("row count"), default=0)
    total_rows = models.PositiveIntegerField(_("total rows"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    # The worker writing the file touches this as it goes; a running job whose
    # heartbeat stopped lost its worker (reports.services.exports_recover).
    heartbeat_at = models.DateTimeField(_("heartbeat at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(
        _("attempts"), default=0, help_text=_("Runs started so far.")
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "expires_at"], name="reports_export_expiry")]

    def __str__(self) -> str:
        return gettext("%(kind)s export of %(when)s") % {
            "kind": self.get_kind_display(),
            "when": f"{self.created_at:%Y-%m-%d %H:%M}",
        }

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED, self.Status.EXPIRED)

    def is_stalled(self, now=None) -> bool:
        """Running, but its worker has not been heard of for STALE_HEARTBEAT."""
        now = now or timezone.now()
        beat = self.heartbeat_at or self.started_at
        return self.status == self.Status.RUNNING and (beat is None or beat < now - STALE_HEARTBEAT)

    @property
    def may_retry(self) -> bool:
        return self.status == self.Status.FAILED or self.is_stalled()

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.total_rows:
            return 0
        return min(99, self.row_count * 100 // self.total_rows)

    @property
    def filename(self) -> str:
        return f"hms-{self.kind}-{timezone.localtime(self.created_at):%Y%m%d-%H%M}.csv"


class MonthlyReportQuerySet(models.QuerySet):
    def visible_to(self, user) -> MonthlyReportQuerySet:
        """Admins read every report; a doctor reads their own."""
        if not user.is_authenticated:
            return self.none()
        if user.role == Role.ADMIN:
            return self
        if user.role == Role.DOCTOR:
            return self.filter(doctor__user=user)
        return self.none()


class MonthlyReport(models.Model):
    """A doctor's activity in one month, rendered once (its e-mail is in the outbox)."""

    doctor = models.ForeignKey(
        "clinic.Doctor",
        verbose_name=_("doctor"),
        on_delete=models.CASCADE,
        related_name="monthly_reports",
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month reported on."))
    html = models.TextField(_("html"))
    figures = models.JSONField(_("figures"), default=dict)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = MonthlyReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        ordering = ["-month", "doctor"]
        constraints = [
            models.UniqueConstraint(
                fields=["doctor", "month"], name="reports_monthly_report_once_per_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.doctor}, {date_format(self.month, 'F Y')}"
