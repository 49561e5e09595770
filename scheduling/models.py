from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from accounts.roles import Role
from clinic.models import Doctor, Patient, Treatment
from hms.clinic_time import clinic_date, clinic_today

SLOT_TAKEN = "That slot was just taken, please choose another."
PATIENT_BUSY = "You already have an appointment at that time, please choose another slot."


class AvailabilityQuerySet(models.QuerySet):
    """Weekly blocks and dated exceptions, scoped like every other record."""

    def editable_by(self, user) -> AvailabilityQuerySet:
        """The rows ``user`` may add to or remove: those of the doctors whose
        hours they may change (``Doctor.objects.hours_editable_by``).
        """
        return self.filter(doctor__in=Doctor.objects.hours_editable_by(user))

    def visible_to(self, user) -> AvailabilityQuerySet:
        """The rows ``user`` may read: the same people who edit them. Patients
        never read the rows; they see the free slots computed from them.
        """
        return self.editable_by(user)


class WeeklyAvailability(models.Model):
    """One block of a doctor's usual week, e.g. Mondays 09:00 to 13:00.

    A day may have several blocks (morning and evening clinics).
    """

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    doctor = models.ForeignKey(Doctor, on_delete=models.CASCADE, related_name="weekly_blocks")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    start_time = models.TimeField()
    end_time = models.TimeField()

    objects = AvailabilityQuerySet.as_manager()

    class Meta:
        ordering = ["doctor", "weekday", "start_time"]
        verbose_name_plural = "weekly availability"
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")),
                name="scheduling_weekly_block_ends_after_start",
                violation_error_message="The block must end after it starts.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}-{self.end_time:%H:%M}"


class AvailabilityException(models.Model):
    """A dated change to the weekly template.

    Leave and holidays make the whole day unavailable. Changed hours replace
    that day's weekly blocks with the hours given (one row per block).
    """

    class Kind(models.TextChoices):
        LEAVE = "leave", "Leave"
        HOLIDAY = "holiday", "Holiday"
        CHANGED_HOURS = "changed_hours", "Changed hours"

    doctor = models.ForeignKey(Doctor, on_delete=models.CASCADE, related_name="exceptions")
    date = models.DateField()
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.LEAVE)
    start_time = models.TimeField(null=True, blank=True)
    end_time = models.TimeField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)

    objects = AvailabilityQuerySet.as_manager()

    class Meta:
        ordering = ["doctor", "date", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="changed_hours", end_time__gt=F("start_time"))
                    | (~Q(kind="changed_hours") & Q(start_time=None, end_time=None))
                ),
                name="scheduling_exception_hours_match_kind",
                violation_error_message=(
                    "Changed hours need a start and an end time, the end after the start; "
                    "leave and holidays take no times."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"

    @property
    def is_all_day(self) -> bool:
        return self.kind != self.Kind.CHANGED_HOURS


class AppointmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> AppointmentQuerySet:
        """Admins see every appointment, a doctor their own, a patient theirs."""
        if not user.is_authenticated:
            return self.none()
        role = user.role
        if role == Role.ADMIN:
            return self
        if role == Role.DOCTOR:
            return self.filter(doctor__user=user)
        if role == Role.PATIENT:
            return self.filter(patient__user=user)
        return self.none()

    def active(self) -> AppointmentQuerySet:
        return self.filter(status__in=Appointment.ACTIVE_STATUSES)

    def overlapping(self, start: datetime, end: datetime) -> AppointmentQuerySet:
        """Appointments that share any moment with [start, end)."""
        return self.filter(start__lt=end, end__gt=start)

    def with_people(self) -> AppointmentQuerySet:
        return self.select_related("patient__user", "doctor__user", "doctor__department")


class Appointment(models.Model):
    """A patient's visit to a doctor in one slot.

    Status moves only Booked -> Completed | Cancelled | No-show. Booked and
    completed appointments are *active*: the database refuses two active
    appointments of one doctor, or of one patient, that overlap.
    """

    class Status(models.TextChoices):
        BOOKED = "booked", "Booked"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"
        NO_SHOW = "no_show", "No-show"

    ACTIVE_STATUSES = (Status.BOOKED, Status.COMPLETED)

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="appointments")
    doctor = models.ForeignKey(Doctor, on_delete=models.PROTECT, related_name="appointments")
    start = models.DateTimeField()
    end = models.DateTimeField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.BOOKED)
    reason = models.CharField("reason for the visit", max_length=500, blank=True)
    cancellation_reason = models.CharField(max_length=500, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    treatment = models.OneToOneField(
        Treatment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointment",
        help_text="The visit record written when the doctor completed the visit.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["start", "id"]
        indexes = [
            models.Index(fields=["doctor", "start"], name="scheduling_appt_doctor_start"),
            models.Index(fields=["patient", "start"], name="scheduling_appt_patient_start"),
            models.Index(fields=["status", "start"], name="scheduling_appt_status_start"),
            # Every appointment, newest first (the admins' lists), read backwards
            # from this index instead of sorting a million rows.
            models.Index(fields=["start", "id"], name="scheduling_appt_start_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")),
                name="scheduling_appointment_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["booked", "completed", "cancelled", "no_show"]),
                name="scheduling_appointment_status_valid",
            ),
            # On every database: one active appointment per doctor and start,
            # and per patient and start. PostgreSQL also refuses any overlap
            # (exclusion constraints in migration 0002).
            models.UniqueConstraint(
                fields=["doctor", "start"],
                condition=Q(status__in=["booked", "completed"]),
                name="scheduling_appointment_doctor_slot_unique",
                violation_error_message=SLOT_TAKEN,
            ),
            models.UniqueConstraint(
                fields=["patient", "start"],
                condition=Q(status__in=["booked", "completed"]),
                name="scheduling_appointment_patient_slot_unique",
                violation_error_message=PATIENT_BUSY,
            ),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.start)
        return f"{self.patient} with {self.doctor} on {local.day} {local:%b %Y %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    @property
    def is_booked(self) -> bool:
        return self.status == self.Status.BOOKED

    @property
    def change_cutoff(self) -> datetime:
        """Until when the patient may cancel or reschedule."""
        return self.start - timedelta(minutes=settings.HMS_CHANGE_CUTOFF_MINUTES)

    def _is_own_doctor(self, user) -> bool:
        return user.role == Role.DOCTOR and self.doctor.user_id == user.pk

    def _is_own_patient(self, user) -> bool:
        return user.role == Role.PATIENT and self.patient.user_id == user.pk

    def cancel_refusal(self, *, by, now: datetime | None = None) -> str | None:
        """Why ``by`` may not cancel this appointment now, or None if they may.

        Only booked visits can be cancelled. Patients cancel their own until
        the cutoff before the start; the doctor and admins cancel at any time.
        """
        now = now or timezone.now()
        if not self.is_booked:
            return self._closed_message("cancelled")
        if by.role == Role.ADMIN or self._is_own_doctor(by):
            return None
        if self._is_own_patient(by):
            if now > self.change_cutoff:
                return self._cutoff_message("cancelled")
            return None
        return "You cannot cancel this appointment."

    def reschedule_refusal(self, *, by, now: datetime | None = None) -> str | None:
        """Why ``by`` may not move this appointment now, or None if they may."""
        now = now or timezone.now()
        if not self.is_booked:
            return self._closed_message("moved")
        if by.role == Role.ADMIN:
            return None
        if self._is_own_patient(by):
            if now > self.change_cutoff:
                return self._cutoff_message("moved")
            return None
        return "Only the patient or an administrator can reschedule this appointment."

    def attendance_refusal(self, *, by, now: datetime | None = None) -> str | None:
        """Why ``by`` may not mark this visit completed or no-show now.

        Only the treating doctor (or an admin), only once the visit has started.
        """
        now = now or timezone.now()
        if not self.is_booked:
            return f"This appointment is already {self.get_status_display().lower()}."
        if not (by.role == Role.ADMIN or self._is_own_doctor(by)):
            return "Only the patient's doctor can record how the visit went."
        if now < self.start:
            return "This visit has not started yet."
        return None

    def completion_refusal(self, *, by, now: datetime | None = None) -> str | None:
        """Why ``by`` may not complete this visit with its record now.

        Only the treating doctor, from the start of the visit until the end of
        that day (clinic time); a forgotten visit is then a walk-in record.
        """
        now = now or timezone.now()
        if not self.is_booked:
            return self._closed_message("completed")
        if not self._is_own_doctor(by):
            return "Only the patient's doctor can record the visit."
        if now < self.start:
            return "This visit has not started yet."
        if clinic_today(now) > clinic_date(self.start):
            return "A visit can only be completed on its day. Record it as a walk-in visit instead."
        return None

    def _closed_message(self, verb: str) -> str:
        """Why a visit that is no longer booked cannot be ``verb`` (never "it is
        completed, so it cannot be completed").
        """
        if self.status == verb:  # cancelling a cancelled visit, completing a completed one
            return f"This appointment has already been {verb}."
        if self.status == self.Status.NO_SHOW:
            return f"This appointment was marked as a no-show, so it can no longer be {verb}."
        status = self.get_status_display().lower()
        return f"This appointment was {status}, so it can no longer be {verb}."

    def _cutoff_message(self, verb: str) -> str:
        hours = settings.HMS_CHANGE_CUTOFF_MINUTES / 60
        span = f"{hours:g} hours" if hours != 1 else "1 hour"
        return (
            f"Appointments can only be {verb} up to {span} before they start. "
            f"Please call the front desk on {settings.HMS_CLINIC_PHONE}."
        )


class Reminder(models.Model):
    """The claim on one reminder of one appointment on one channel.

    The row is written *before* sending; the unique constraint lets only one
    job (or worker) claim it, so a reminder goes out at most once however
    often the job runs. A failed send gives its claim back for the retry.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", "E-mail"
        CHAT = "chat", "Google Chat"

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="reminders")
    channel = models.CharField(max_length=8, choices=Channel.choices)
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-claimed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "channel"], name="scheduling_reminder_once_per_channel"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} reminder for {self.appointment_id}"
