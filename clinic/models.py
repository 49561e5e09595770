from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.roles import Role
from clinic import icd10
from hms.clinic_time import clinic_today
from hms.dates import beyond_horizon_message, planning_horizon

# The longest free text each field takes (a 1 MB address is a mistake or an
# attack, never an address); the forms say so and refuse more.
DESCRIPTION_MAX = 2000
ADDRESS_MAX = 500
ALLERGIES_MAX = 1000
DIAGNOSIS_MAX = 2000
NOTES_MAX = 5000
ACCESS_REASON_MAX = 300
# A prescription line's columns (the printed prescription's cells).
MEDICINE_MAX = 200
DOSAGE_MAX = 100
FREQUENCY_MAX = 100
INSTRUCTIONS_MAX = 300


class BoundedTextField(models.TextField):
    """A text column with a length limit checked by ``full_clean`` (Django's
    TextField passes ``max_length`` to its form field only).
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.validators.append(MaxLengthValidator(self.max_length))


def next_visit_refusal(day: date | None, *, today: date) -> str | None:
    """Why ``day`` cannot be a suggested next visit, or None if it can."""
    if day is None:
        return None
    if day <= today:
        return _("The next visit must be on a later day.")
    if day > planning_horizon(today):
        return beyond_horizon_message()
    return None


def doctor_name(first_name: str, last_name: str) -> str:
    """How a doctor is named on every page, list and export: "Dr. Asha Rao"."""
    return f"Dr. {f'{first_name} {last_name}'.strip()}"


def doctor_name_sql(first_name: str, last_name: str) -> str:
    """``doctor_name`` as an SQL expression over two text columns (the COPY export)."""
    return f"'Dr. ' || trim({first_name} || ' ' || {last_name})"


def patient_number(pk: int) -> str:
    """The patient id printed on papers and searched by the front desk: ``P000012``."""
    return f"P{pk:06d}"


def patient_number_sql(pk: str) -> str:
    """``patient_number`` as an SQL expression over an integer column (the COPY export)."""
    return f"'P' || CASE WHEN {pk} < 1000000 THEN lpad({pk}::text, 6, '0') ELSE {pk}::text END"


class DepartmentQuerySet(models.QuerySet):
    def listed(self) -> DepartmentQuerySet:
        """Departments patients may see: the active ones."""
        return self.filter(is_active=True)

    def visible_to(self, user) -> DepartmentQuerySet:
        """Admins see every department; everyone else only the active ones."""
        if user.is_authenticated and user.role == Role.ADMIN:
            return self
        return self.listed()


class DoctorQuerySet(models.QuerySet):
    def listed(self) -> DoctorQuerySet:
        """Doctors patients may see: enabled, in an active department."""
        return self.filter(user__is_active=True, department__is_active=True)

    def visible_to(self, user) -> DoctorQuerySet:
        if user.is_authenticated and user.role == Role.ADMIN:
            return self
        return self.listed()

    def bookable(self) -> DoctorQuerySet:
        """Doctors a patient can book: listed and accepting new bookings
        (``Doctor.is_bookable`` for one row).
        """
        return self.listed().filter(is_accepting_patients=True)

    def hours_editable_by(self, user) -> DoctorQuerySet:
        """The doctors whose availability (weekly hours, exceptions) ``user``
        may change: admins every doctor's, a doctor their own, nobody else any.
        """
        if not user.is_authenticated:
            return self.none()
        if user.role == Role.ADMIN:
            return self
        if user.role == Role.DOCTOR:
            return self.filter(user=user)
        return self.none()


class PatientQuerySet(models.QuerySet):
    def visible_to(self, user) -> PatientQuerySet:
        """Admins and the front desk see all patients; a doctor sees the patients
        who have (had) an appointment or a recorded visit with them; a patient
        sees only themself.
        """
        if not user.is_authenticated:
            return self.none()
        role = user.role
        if role in (Role.ADMIN, Role.RECEPTION):
            return self
        if role == Role.PATIENT:
            return self.filter(user=user)
        if role == Role.DOCTOR:
            # The appointments are scheduling's (a higher layer); the reverse
            # relation is reached by its name, so nothing above is imported.
            booked = self.model.objects.filter(appointments__doctor__user=user).values("pk")
            treated = self.model.objects.filter(treatments__doctor__user=user).values("pk")
            return self.filter(Q(pk__in=booked) | Q(pk__in=treated))
        return self.none()

    def records_visible_to(self, user) -> PatientQuerySet:
        """Patients whose clinical records (history, visits) ``user`` may read:
        those of ``visible_to``, except that the front desk reads none.
        """
        if not reads_clinical_records(user):
            return self.none()
        return self.visible_to(user)


def reads_clinical_records(user) -> bool:
    """Whether ``user``'s role reads clinical records at all: visit records,
    histories, prescriptions, and a patient's allergies and blood group. The
    front desk never does (it sees every patient's contact details, to
    register, book and check them in); the others read those of the patients
    they see.
    """
    return user.is_authenticated and user.role != Role.RECEPTION


class Department(models.Model):
    name = models.CharField(gettext_lazy("name"), max_length=120)
    slug = models.SlugField(gettext_lazy("slug"), max_length=140, unique=True)
    description = BoundedTextField(
        gettext_lazy("description"), max_length=DESCRIPTION_MAX, blank=True
    )
    is_active = models.BooleanField(
        gettext_lazy("active"),
        default=True,
        help_text=gettext_lazy("Inactive departments are hidden from patients."),
    )
    created_at = models.DateTimeField(gettext_lazy("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(gettext_lazy("updated at"), auto_now=True)

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("department")
        verbose_name_plural = gettext_lazy("departments")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="clinic_department_name_ci_unique",
                violation_error_message=gettext_lazy("A department with this name already exists."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Doctor(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("user"),
        on_delete=models.PROTECT,
        related_name="doctor",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=gettext_lazy("department"),
        on_delete=models.PROTECT,
        related_name="doctors",
    )
    specialization = models.CharField(gettext_lazy("specialization"), max_length=120)
    qualification = models.CharField(gettext_lazy("qualification"), max_length=200, blank=True)
    registration_number = models.CharField(
        gettext_lazy("registration number"),
        max_length=40,
        blank=True,
        help_text=gettext_lazy(
            "The medical council registration printed on prescriptions, e.g. KMC 45123."
        ),
    )
    experience_years = models.PositiveSmallIntegerField(
        gettext_lazy("years of experience"), default=0, validators=[MaxValueValidator(70)]
    )
    consultation_minutes = models.PositiveSmallIntegerField(
        gettext_lazy("consultation length (minutes)"),
        default=15,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
        help_text=gettext_lazy("The length of one bookable slot."),
    )
    bio = BoundedTextField(gettext_lazy("bio"), max_length=DESCRIPTION_MAX, blank=True)
    is_accepting_patients = models.BooleanField(
        gettext_lazy("accepting new bookings"), default=True
    )
    created_at = models.DateTimeField(gettext_lazy("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(gettext_lazy("updated at"), auto_now=True)

    objects = DoctorQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("doctor")
        verbose_name_plural = gettext_lazy("doctors")
        ordering = ["user__last_name", "user__first_name", "id"]

    def __str__(self) -> str:
        return doctor_name(self.user.first_name, self.user.last_name)

    @property
    def is_listed(self) -> bool:
        """Shown to patients: enabled, in an active department."""
        return self.user.is_active and self.department.is_active

    @property
    def is_bookable(self) -> bool:
        """Patients may book: listed and accepting new bookings
        (``Doctor.objects.bookable()`` for many).
        """
        return self.is_listed and self.is_accepting_patients


class Patient(models.Model):
    class Gender(models.TextChoices):
        FEMALE = "female", gettext_lazy("Female")
        MALE = "male", gettext_lazy("Male")
        OTHER = "other", gettext_lazy("Other")
        UNDISCLOSED = "undisclosed", gettext_lazy("Prefer not to say")

    class BloodGroup(models.TextChoices):
        A_POS = "A+", "A+"
        A_NEG = "A-", "A-"
        B_POS = "B+", "B+"
        B_NEG = "B-", "B-"
        AB_POS = "AB+", "AB+"
        AB_NEG = "AB-", "AB-"
        O_POS = "O+", "O+"
        O_NEG = "O-", "O-"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("user"),
        on_delete=models.PROTECT,
        related_name="patient",
    )
    date_of_birth = models.DateField(gettext_lazy("date of birth"), null=True, blank=True)
    gender = models.CharField(
        gettext_lazy("gender"), max_length=16, choices=Gender.choices, blank=True
    )
    blood_group = models.CharField(
        gettext_lazy("blood group"), max_length=3, choices=BloodGroup.choices, blank=True
    )
    address = BoundedTextField(gettext_lazy("address"), max_length=ADDRESS_MAX, blank=True)
    emergency_contact_name = models.CharField(
        gettext_lazy("emergency contact name"), max_length=150, blank=True
    )
    emergency_contact_phone = models.CharField(
        gettext_lazy("emergency contact phone"), max_length=32, blank=True
    )
    allergies = BoundedTextField(gettext_lazy("allergies"), max_length=ALLERGIES_MAX, blank=True)
    created_at = models.DateTimeField(gettext_lazy("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(gettext_lazy("updated at"), auto_now=True)

    objects = PatientQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("patient")
        verbose_name_plural = gettext_lazy("patients")
        ordering = ["user__last_name", "user__first_name", "id"]

    def __str__(self) -> str:
        return self.user.get_full_name()

    def clean(self) -> None:
        super().clean()
        if self.date_of_birth and self.date_of_birth > clinic_today():
            raise ValidationError(
                {"date_of_birth": _("The date of birth cannot be in the future.")}
            )

    def age_on(self, day: date) -> int | None:
        """Age in whole years on ``day`` (a birthday on 29 February counts on 1 March)."""
        born = self.date_of_birth
        if born is None:
            return None
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def patient_number(self) -> str:
        """The id printed on papers and searched by the front desk."""
        return patient_number(self.pk)


class TreatmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> TreatmentQuerySet:
        """Admins see every record; a doctor the records of the patients visible to
        them (whoever treated them); a patient their own.
        """
        if not user.is_authenticated:
            return self.none()
        role = user.role
        if role == Role.ADMIN:
            return self
        if role == Role.DOCTOR:
            return self.filter(patient__in=Patient.objects.visible_to(user).values("pk"))
        if role == Role.PATIENT:
            return self.filter(patient__user=user)
        return self.none()

    def with_details(self) -> TreatmentQuerySet:
        return self.select_related(
            "patient__user", "doctor__user", "doctor__department", "amended_by"
        ).prefetch_related("items")


class Treatment(models.Model):
    """What the doctor found and prescribed at one visit.

    A visit may be a completed appointment (the appointment points here) or a
    walk-in with no appointment at all. The treating doctor may amend it for
    ``HMS_TREATMENT_AMEND_HOURS`` after recording it; then it is read-only.
    """

    patient = models.ForeignKey(
        Patient,
        verbose_name=gettext_lazy("patient"),
        on_delete=models.PROTECT,
        related_name="treatments",
    )
    doctor = models.ForeignKey(
        Doctor,
        verbose_name=gettext_lazy("doctor"),
        on_delete=models.PROTECT,
        related_name="treatments",
    )
    visit_date = models.DateField(gettext_lazy("visit date"))
    diagnosis = BoundedTextField(gettext_lazy("diagnosis"), max_length=DIAGNOSIS_MAX)
    icd10_code = models.CharField(
        gettext_lazy("ICD-10 code"), max_length=10, blank=True, validators=[icd10.validate_code]
    )
    notes = BoundedTextField(gettext_lazy("treatment notes"), max_length=NOTES_MAX, blank=True)
    next_visit_on = models.DateField(gettext_lazy("next visit"), null=True, blank=True)
    access_reason = models.CharField(
        gettext_lazy("reason for access"),
        max_length=ACCESS_REASON_MAX,
        blank=True,
        # Rows written without it (bulk loads, COPY) are plain visits.
        db_default="",
        help_text=gettext_lazy(
            "Given by a doctor who recorded this walk-in with no appointment or earlier "
            "visit with the patient (break-the-glass); also in the audit log."
        ),
    )
    created_at = models.DateTimeField(gettext_lazy("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(gettext_lazy("updated at"), auto_now=True)
    amended_at = models.DateTimeField(gettext_lazy("amended at"), null=True, blank=True)
    amended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("amended by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = TreatmentQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("treatment")
        verbose_name_plural = gettext_lazy("treatments")
        ordering = ["-visit_date", "-created_at", "-id"]
        indexes = [
            models.Index(fields=["patient", "visit_date"], name="clinic_treatment_patient_date"),
            models.Index(fields=["doctor", "visit_date"], name="clinic_treatment_doctor_date"),
            # The newest records first (the Django admin's list), without a sort.
            models.Index(fields=["visit_date", "created_at", "id"], name="clinic_treatment_recent"),
        ]

    def __str__(self) -> str:
        return _("%(patient)s with %(doctor)s on %(date)s") % {
            "patient": self.patient,
            "doctor": self.doctor,
            "date": date_format(self.visit_date, "j M Y"),
        }

    @property
    def icd10_description(self) -> str:
        return icd10.description(self.icd10_code)

    @property
    def amend_until(self) -> datetime:
        return self.created_at + timedelta(hours=settings.HMS_TREATMENT_AMEND_HOURS)

    def amend_refusal(self, *, by, now: datetime | None = None) -> str | None:
        """Why ``by`` may not amend this record now, or None if they may."""
        now = now or timezone.now()
        if not (by.role == Role.DOCTOR and self.doctor.user_id == by.pk):
            return _("Only the doctor who recorded this visit can amend it.")
        if now > self.amend_until:
            hours = settings.HMS_TREATMENT_AMEND_HOURS
            return ngettext(
                "Visit records can be amended for %(hours)d hour; this one is now read-only.",
                "Visit records can be amended for %(hours)d hours; this one is now read-only.",
                hours,
            ) % {"hours": hours}
        return None


class PrescriptionItem(models.Model):
    """One line of a prescription: a medicine, how much, how often, for how long."""

    treatment = models.ForeignKey(
        Treatment,
        verbose_name=gettext_lazy("treatment"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    medicine = models.CharField(gettext_lazy("medicine"), max_length=MEDICINE_MAX)
    dosage = models.CharField(
        gettext_lazy("dosage"),
        max_length=DOSAGE_MAX,
        help_text=gettext_lazy("e.g. 500 mg, 1 tablet, 5 ml"),
    )
    frequency = models.CharField(
        gettext_lazy("frequency"),
        max_length=FREQUENCY_MAX,
        help_text=gettext_lazy("e.g. twice a day, after meals"),
    )
    duration_days = models.PositiveSmallIntegerField(
        gettext_lazy("duration (days)"), validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    instructions = models.CharField(
        gettext_lazy("instructions"), max_length=INSTRUCTIONS_MAX, blank=True
    )

    class Meta:
        verbose_name = gettext_lazy("prescription item")
        verbose_name_plural = gettext_lazy("prescription items")
        ordering = ["treatment", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_days__gte=1),
                name="clinic_prescription_item_duration_positive",
                violation_error_message=gettext_lazy("The duration must be at least one day."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.medicine} {self.dosage}, {self.frequency}, {self.duration_days} days"
