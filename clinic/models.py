from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


class DepartmentQuerySet(models.QuerySet):
    def listed(self) -> DepartmentQuerySet:
        """Departments patients may see: the active ones."""
        return self.filter(is_active=True)

    def visible_to(self, user) -> DepartmentQuerySet:
        """Admins see every department; everyone else only the active ones."""
        if user.is_authenticated and user.role == "admin":
            return self
        return self.listed()


class DoctorQuerySet(models.QuerySet):
    def listed(self) -> DoctorQuerySet:
        """Doctors patients may see: enabled, in an active department."""
        return self.filter(user__is_active=True, department__is_active=True)

    def visible_to(self, user) -> DoctorQuerySet:
        if user.is_authenticated and user.role == "admin":
            return self
        return self.listed()


class PatientQuerySet(models.QuerySet):
    def visible_to(self, user) -> PatientQuerySet:
        """Admins see all patients; a doctor sees the patients who have (had) an
        appointment or a recorded visit with them; a patient sees only themself.
        """
        if not user.is_authenticated:
            return self.none()
        role = user.role
        if role == "admin":
            return self
        if role == "patient":
            return self.filter(user=user)
        if role == "doctor":
            # The appointments are scheduling's (a higher layer); the reverse
            # relation is reached by its name, so nothing above is imported.
            seen = self.model.objects.filter(appointments__doctor__user=user).values("pk")
            return self.filter(pk__in=seen)
        return self.none()


class Department(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140, unique=True)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(
        "active", default=True, help_text="Inactive departments are hidden from patients."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="clinic_department_name_ci_unique",
                violation_error_message="A department with this name already exists.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Doctor(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="doctor"
    )
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="doctors")
    specialization = models.CharField(max_length=120)
    qualification = models.CharField(max_length=200, blank=True)
    experience_years = models.PositiveSmallIntegerField(
        "years of experience", default=0, validators=[MaxValueValidator(70)]
    )
    consultation_minutes = models.PositiveSmallIntegerField(
        "consultation length (minutes)",
        default=15,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
        help_text="The length of one bookable slot.",
    )
    bio = models.TextField(blank=True)
    is_accepting_patients = models.BooleanField("accepting new bookings", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DoctorQuerySet.as_manager()

    class Meta:
        ordering = ["user__last_name", "user__first_name", "id"]

    def __str__(self) -> str:
        return f"Dr. {self.user.get_full_name()}"

    @property
    def is_listed(self) -> bool:
        """Shown to patients: enabled, in an active department."""
        return self.user.is_active and self.department.is_active


class Patient(models.Model):
    class Gender(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        OTHER = "other", "Other"
        UNDISCLOSED = "undisclosed", "Prefer not to say"

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
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="patient"
    )
    date_of_birth = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=16, choices=Gender.choices, blank=True)
    blood_group = models.CharField(max_length=3, choices=BloodGroup.choices, blank=True)
    address = models.TextField(blank=True)
    emergency_contact_name = models.CharField(max_length=150, blank=True)
    emergency_contact_phone = models.CharField(max_length=32, blank=True)
    allergies = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PatientQuerySet.as_manager()

    class Meta:
        ordering = ["user__last_name", "user__first_name", "id"]

    def __str__(self) -> str:
        return self.user.get_full_name()

    def clean(self) -> None:
        super().clean()
        if self.date_of_birth and self.date_of_birth > timezone.localdate():
            raise ValidationError({"date_of_birth": "The date of birth cannot be in the future."})

    @property
    def patient_number(self) -> str:
        """The id printed on papers and searched by the front desk."""
        return f"P{self.pk:06d}"
