from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from clinic.models import Doctor, Patient, Treatment
from hms.clinic_time import clinic_date, clinic_today

SLOT_TAKEN = _("That slot was just taken, please choose another.")
PATIENT_BUSY = _("You already have an appointment at that time, please choose another slot.")


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
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    doctor = models.ForeignKey(
        Doctor, verbose_name=_("doctor"), on_delete=models.CASCADE, related_name="weekly_blocks"
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"))

    objects = AvailabilityQuerySet.as_manager()

    class Meta:
        verbose_name = _("weekly availability")
        ordering = ["doctor", "weekday", "start_time"]
        verbose_name_plural = _("weekly availability")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")),
                name="scheduling_weekly_block_ends_after_start",
                violation_error_message=_("The block must end after it starts."),
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
        LEAVE = "leave", _("Leave")
        HOLIDAY = "holiday", _("Holiday")
        CHANGED_HOURS = "changed_hours", _("Changed hours")

    doctor = models.ForeignKey(
        Doctor, verbose_name=_("doctor"), on_delete=models.CASCADE, related_name="exceptions"
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.LEAVE)
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = AvailabilityQuerySet.as_manager()

    class Meta:
        verbose_name = _("availability exception")
        verbose_name_plural = _("availability exceptions")
        ordering = ["doctor", "date", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="changed_hours", end_time__gt=F("start_time"))
                    | (~Q(kind="changed_hours") & Q(start_time=None, end_time=None))
                ),
                name="scheduling_exception_hours_match_kind",
                violation_error_message=_(
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


@dataclass(frozen=True)
class AppointmentActions:
    """What one person may do with one appointment at one moment."""

    can_cancel: bool
    can_reschedule: bool
    can_attend: bool  # mark completed / no-show
    can_record: bool  # complete with the visit record (the doctor)
    can_check_in: bool
    can_call: bool
    too_late_to_change: bool  # the patient's own, inside the cutoff

    @property
    def any(self) -> bool:
        return any(
            (self.can_cancel, self.can_reschedule, self.can_attend, self.can_record,
             self.can_check_in, self.can_call)
        )  # fmt: skip


class AppointmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> AppointmentQuerySet:
        """Admins and the front desk see every appointment, a doctor their own,
        a patient theirs.
        """
        if not user.is_authenticated:
            return self.none()
        role = user.role
        if role in (Role.ADMIN, Role.RECEPTION):
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
        """The patient and the doctor (with department) of each appointment, in
        the same query; nobody's password hash comes with them.
        """
        return self.select_related("patient__user", "doctor__user", "doctor__department").defer(
            "patient__user__password", "doctor__user__password"
        )

    def with_doctors(self) -> AppointmentQuerySet:
        """Only the doctor (with department): for a patient's own lists, two
        joins fewer than ``with_people``.
        """
        return self.select_related("doctor__user", "doctor__department").defer(
            "doctor__user__password"
        )


class Appointment(models.Model):
    """A patient's visit to a doctor in one slot.

    Status moves only Booked -> Arrived -> Completed | No-show, and Booked ->
    Cancelled (a booked visit may also be completed or marked no-show
    directly, as before the front desk checked patients in). Booked, arrived
    and completed appointments are *active*: the database refuses two active
    appointments of one doctor, or of one patient, that overlap.

    Check-in gives the patient a ``token``, their place in the doctor's queue
    that clinic day (``queue_day``): unique per doctor and day in the
    database. ``called_at`` is when the doctor called them in ("Call next").
    """

    # Translated labels: code that keys JSON by them must take str(label).
    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        ARRIVED = "arrived", _("Arrived")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")
        NO_SHOW = "no_show", _("No-show")
        HELD = "held", _("Held for a waitlisted patient")

        @classmethod
        def words(cls) -> dict[str, str]:
            """Each status as people read it ("No-show"), not as it is stored
            ("no_show"), in the language active when called (plain str, not lazy).
            """
            return {value: str(label) for value, label in cls.choices}

    # Active appointments take their slot: the database refuses two that overlap
    # for one doctor or one patient. Checked-in (arrived) visits are active, and
    # so is a hold (a freed slot offered to the first patient on the waitlist),
    # so nobody else can book it meanwhile.
    ACTIVE_STATUSES = (Status.BOOKED, Status.ARRIVED, Status.COMPLETED, Status.HELD)
    # Who may still be completed, marked no-show: booked or checked in.
    OPEN_STATUSES = (Status.BOOKED, Status.ARRIVED)

    patient = models.ForeignKey(
        Patient, verbose_name=_("patient"), on_delete=models.PROTECT, related_name="appointments"
    )
    doctor = models.ForeignKey(
        Doctor, verbose_name=_("doctor"), on_delete=models.PROTECT, related_name="appointments"
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.BOOKED
    )
    reason = models.CharField(_("reason for the visit"), max_length=500, blank=True)
    cancellation_reason = models.CharField(_("cancellation reason"), max_length=500, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cancelled by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("booked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Who made the booking: the patient, or staff on their behalf."),
    )
    is_walk_in = models.BooleanField(
        _("is walk in"), default=False, help_text=_("Checked in at the desk without a booking.")
    )
    queue_day = models.DateField(
        _("queue day"), null=True, blank=True, help_text=_("Clinic day of the token.")
    )
    token = models.PositiveIntegerField(_("token"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    called_at = models.DateTimeField(_("called at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    treatment = models.OneToOneField(
        Treatment,
        verbose_name=_("treatment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointment",
        help_text=_("The visit record written when the doctor completed the visit."),
    )
    hold_expires_at = models.DateTimeField(
        _("hold expires at"),
        null=True,
        blank=True,
        help_text=_("Until when a held slot waits for its patient."),
    )
    sequence = models.PositiveIntegerField(
        _("sequence"),
        default=0,
        db_default=0,
        help_text=_("How often the patient was told of a change (the calendar entry's SEQUENCE)."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
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
                condition=Q(
                    status__in=["booked", "arrived", "completed", "cancelled", "no_show", "held"]
                ),
                name="scheduling_appointment_status_valid",
            ),
            models.UniqueConstraint(
                fields=["doctor", "queue_day", "token"],
                name="scheduling_appointment_token_unique",
                violation_error_message=_("That token number is already given out today."),
            ),
            # On every database: one active appointment per doctor and start,
            # and per patient and start. PostgreSQL also refuses any overlap
            # (exclusion constraints in migration 0002).
            models.UniqueConstraint(
                fields=["doctor", "start"],
                condition=Q(status__in=["booked", "arrived", "completed", "held"]),
                name="scheduling_appointment_doctor_slot_unique",
                violation_error_message=SLOT_TAKEN,
            ),
            models.UniqueConstraint(
                fields=["patient", "start"],
                condition=Q(status__in=["booked", "arrived", "completed", "held"]),
                name="scheduling_appointment_patient_slot_unique",
                violation_error_message=PATIENT_BUSY,
            ),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.start)
        return gettext("%(patient)s with %(doctor)s on %(when)s") % {
            "patient": self.patient,
            "doctor": self.doctor,
            "when": date_format(local, "j M Y H:i"),
        }

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    @property
    def is_booked(self) -> bool:
        return self.status == self.Status.BOOKED

    @property
    def is_open(self) -> bool:
        """Booked or checked in: the visit can still take place."""
        return self.status in self.OPEN_STATUSES

    @property
    def change_cutoff(self) -> datetime:
        """Until when the patient may cancel or reschedule."""
        return self.start - timedelta(minutes=settings.HMS_CHANGE_CUTOFF_MINUTES)

    def _is_own_doctor(self, user) -> bool:
        return user.role == Role.DOCTOR and self.doctor.user_id == user.pk

    def _is_own_patient(self, user) -> bool:
        return user.role == Role.PATIENT and self.patient.user_id == user.pk

    @staticmethod
    def _is_front_desk(user) -> bool:
        return user.role in (Role.ADMIN, Role.RECEPTION)

    def cancel_refusal(self, *, by, now: datetime | None = None) -> str | None:
        """Why ``by`` may not cancel this appointment now, or None if they may.

        Only booked visits can be cancelled. Patients cancel their own until
        the cutoff before the start; the doctor, the front desk and admins
        cancel at any time (with a reason the patient is told).
        """
        now = now or timezone.now()
        if not self.is_booked:
            return self._closed_message("cancelled")
        if self._is_front_desk(by) or self._is_own_doctor(by):
            return None
        if self._is_own_patient(by):
            if now > self.change_cutoff:
                return self._cutoff_message("cancelled")
            return None
        return gettext("You cannot cancel this appointment.")

    def reschedule_refusal(self, *, by, now: datetime | None = None) -> str | None:
        """Why ``by`` may not move this appointment now, or None if they may.

        The patient until the cutoff; the front desk and admins at any time
        (the patient on the phone inside the cutoff is moved by the desk).
        """
        now = now or timezone.now()
        if not self.is_booked:
            return self._closed_message("moved")
        if self._is_front_desk(by):
            return None
        if self._is_own_patient(by):
            if now > self.change_cutoff:
                return self._cutoff_message("moved")
            return None
        return gettext("Only the patient or the front desk can reschedule this appointment.")

    def check_in_refusal(self, *, by, now: datetime | None = None) -> str | None:
        """Why ``by`` may not check the patient in now: only a booked visit of
        today (clinic time), only at the front desk.
        """
        now = now or timezone.now()
        if not self._is_front_desk(by):
            return gettext("Only the front desk can check patients in.")
        if self.status == self.Status.ARRIVED:
            return gettext("%(patient)s is already checked in (token %(token)s).") % {
                "patient": self.patient,
                "token": self.token,
            }
        if not self.is_booked:
            return gettext("This appointment is %(status)s.") % {
                "status": self.get_status_display().lower()
            }
        if clinic_today(now) != clinic_date(self.start):
            return gettext("Patients are checked in on the day of their visit.")
        return None

    def call_refusal(self, *, by, now: datetime | None = None) -> str | None:
        """Why ``by`` may not call this patient in: only a checked-in patient,
        only by their doctor (or an admin).
        """
        if not (by.role == Role.ADMIN or self._is_own_doctor(by)):
            return gettext("Only the patient's doctor can call them in.")
        if self.status != self.Status.ARRIVED:
            return gettext("Only checked-in patients can be called.")
        return None

    def attendance_refusal(self, *, by, now: datetime | None = None) -> str | None:
        """Why ``by`` may not mark this visit completed or no-show now.

        Only the treating doctor (or an admin), once the visit has started or
        the patient has checked in.
        """
        now = now or timezone.now()
        if not self.is_open:
            return gettext("This appointment is already %(status)s.") % {
                "status": self.get_status_display().lower()
            }
        if not (by.role == Role.ADMIN or self._is_own_doctor(by)):
            return gettext("Only the patient's doctor can record how the visit went.")
        if self.is_booked and now < self.start:
            return gettext("This visit has not started yet.")
        return None

    def completion_refusal(self, *, by, now: datetime | None = None) -> str | None:
        """Why ``by`` may not complete this visit with its record now.

        Only the treating doctor, from the start of the visit (or check-in)
        until the end of that day (clinic time); a forgotten visit is then a
        walk-in record.
        """
        now = now or timezone.now()
        if not self.is_open:
            return self._closed_message("completed")
        if not self._is_own_doctor(by):
            return gettext("Only the patient's doctor can record the visit.")
        if self.is_booked and now < self.start:
            return gettext("This visit has not started yet.")
        if clinic_today(now) > clinic_date(self.start):
            return gettext(
                "A visit can only be completed on its day. Record it as a walk-in visit instead."
            )
        return None

    def appointment_actions(self, user, now: datetime | None = None) -> AppointmentActions:
        """What ``user`` may do with this appointment now: the one answer the
        homes, the appointment page and the desk ask (the services re-check).
        """
        now = now or timezone.now()
        return AppointmentActions(
            can_cancel=self.cancel_refusal(by=user, now=now) is None,
            can_reschedule=self.reschedule_refusal(by=user, now=now) is None,
            can_attend=self.attendance_refusal(by=user, now=now) is None,
            can_record=self.completion_refusal(by=user, now=now) is None,
            can_check_in=self.check_in_refusal(by=user, now=now) is None,
            can_call=self.call_refusal(by=user, now=now) is None and self.called_at is None,
            too_late_to_change=(
                self._is_own_patient(user) and self.is_booked and now > self.change_cutoff
            ),
        )

    def _closed_message(self, verb: str) -> str:
        """Why a visit that is no longer booked cannot be ``verb`` (never "it is
        completed, so it cannot be completed"). ``verb``: cancelled, moved or
        completed; each sentence whole, for the translations.
        """
        if self.status == verb:  # cancelling a cancelled visit, completing a completed one
            return {
                "cancelled": gettext("This appointment has already been cancelled."),
                "completed": gettext("This appointment has already been completed."),
            }[verb]
        if self.status == self.Status.ARRIVED:
            return {
                "cancelled": gettext(
                    "The patient has already checked in, so it can no longer be cancelled."
                ),
                "moved": gettext(
                    "The patient has already checked in, so it can no longer be moved."
                ),
                "completed": gettext(
                    "The patient has already checked in, so it can no longer be completed."
                ),
            }[verb]
        if self.status == self.Status.NO_SHOW:
            return {
                "cancelled": gettext(
                    "This appointment was marked as a no-show, so it can no longer be cancelled."
                ),
                "moved": gettext(
                    "This appointment was marked as a no-show, so it can no longer be moved."
                ),
                "completed": gettext(
                    "This appointment was marked as a no-show, so it can no longer be completed."
                ),
            }[verb]
        status = {"status": self.get_status_display().lower()}
        return {
            "cancelled": gettext(
                "This appointment was %(status)s, so it can no longer be cancelled."
            ),
            "moved": gettext("This appointment was %(status)s, so it can no longer be moved."),
            "completed": gettext(
                "This appointment was %(status)s, so it can no longer be completed."
            ),
        }[verb] % status

    def _cutoff_message(self, verb: str) -> str:
        """``verb``: cancelled or moved."""
        hours = settings.HMS_CHANGE_CUTOFF_MINUTES / 60
        values = {"hours": f"{hours:g}", "phone": settings.HMS_CLINIC_PHONE}
        n = 1 if hours == 1 else 2  # 1.5 hours: the plural
        if verb == "cancelled":
            message = ngettext(
                "Appointments can only be cancelled up to %(hours)s hour before they start. "
                "Please call the front desk on %(phone)s.",
                "Appointments can only be cancelled up to %(hours)s hours before they start. "
                "Please call the front desk on %(phone)s.",
                n,
            )
        else:
            message = ngettext(
                "Appointments can only be moved up to %(hours)s hour before they start. "
                "Please call the front desk on %(phone)s.",
                "Appointments can only be moved up to %(hours)s hours before they start. "
                "Please call the front desk on %(phone)s.",
                n,
            )
        return message % values


class WaitlistEntry(models.Model):
    """A patient waiting for a slot with one doctor on one of a range of days.

    When an active appointment in the range is cancelled, the first person
    waiting (oldest entry) is offered the slot: it is held for them (an
    appointment in the Held status) until they accept or the hold expires.
    """

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        OFFERED = "offered", _("Offered a slot")
        BOOKED = "booked", _("Booked")
        EXPIRED = "expired", _("Offer expired")
        LEFT = "left", _("Left the waitlist")

    patient = models.ForeignKey(
        Patient, verbose_name=_("patient"), on_delete=models.CASCADE, related_name="waitlist"
    )
    doctor = models.ForeignKey(
        Doctor, verbose_name=_("doctor"), on_delete=models.CASCADE, related_name="waitlist"
    )
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.WAITING
    )
    offer = models.ForeignKey(
        Appointment,
        verbose_name=_("offer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("waitlist entry")
        ordering = ["created_at", "id"]
        verbose_name_plural = _("waitlist entries")
        indexes = [
            models.Index(
                fields=["doctor", "status", "created_at"], name="scheduling_waitlist_next"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=F("first_day")),
                name="scheduling_waitlist_range_valid",
                violation_error_message=_("The last day must be on or after the first."),
            ),
            models.UniqueConstraint(
                fields=["patient", "doctor"],
                condition=Q(status__in=["waiting", "offered"]),
                name="scheduling_waitlist_once_per_doctor",
                violation_error_message=_("You are already on this doctor's waitlist."),
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(patient)s waiting for %(doctor)s (%(first)s to %(last)s)") % {
            "patient": self.patient,
            "doctor": self.doctor,
            "first": self.first_day,
            "last": self.last_day,
        }


class CalendarFeed(models.Model):
    """A person's private calendar feed (their appointments as iCal).

    The URL carries a secret token; only its SHA-256 is stored, so the table
    never holds a working link. Revoking deletes the row; issuing again
    replaces the token, so old links stop working.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return gettext("Calendar feed of %(user)s") % {"user": self.user}


def _display_token() -> str:
    return secrets.token_urlsafe(24)


class QueueDisplayQuerySet(models.QuerySet):
    def live(self) -> QueueDisplayQuerySet:
        """Links that still work: not revoked."""
        return self.filter(revoked_at=None)


class QueueDisplay(models.Model):
    """A secret link for the waiting-room screen of one doctor or one department.

    The screen needs no sign-in: whoever has the link sees the tokens (never a
    name). An admin creates the link and revokes it (then it gives 404).
    """

    name = models.CharField(
        _("name"), max_length=100, help_text=_("Where the screen hangs, e.g. 'OPD hall'.")
    )
    token = models.CharField(
        _("token"), max_length=64, unique=True, default=_display_token, editable=False
    )
    doctor = models.ForeignKey(
        Doctor,
        verbose_name=_("doctor"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    department = models.ForeignKey(
        "clinic.Department",
        verbose_name=_("department"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = QueueDisplayQuerySet.as_manager()

    class Meta:
        verbose_name = _("queue display")
        verbose_name_plural = _("queue displays")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(doctor__isnull=False, department__isnull=True)
                    | Q(doctor__isnull=True, department__isnull=False)
                ),
                name="scheduling_queue_display_one_scope",
                violation_error_message=_("Choose either a doctor or a department."),
            ),
        ]

    def __str__(self) -> str:
        return self.name
