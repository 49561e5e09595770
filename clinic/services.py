"""Writes on the clinic directory: departments, doctors and patients."""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify

from accounts.roles import Role
from accounts.services import user_create
from clinic.models import Department, Doctor, Patient


@transaction.atomic
def patient_register(
    *, email: str, first_name: str, last_name: str, password: str, phone: str = ""
) -> Patient:
    """A person signs themself up: a user in the Patient group and a profile."""
    user = user_create(
        email=email,
        first_name=first_name,
        last_name=last_name,
        phone=phone,
        password=password,
        role=Role.PATIENT,
    )
    patient = Patient(user=user)
    patient.full_clean()
    patient.save()
    return patient


def _unique_slug(name: str) -> str:
    base = slugify(name)[:120] or "department"
    slug, n = base, 2
    while Department.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def department_create(*, name: str, description: str = "") -> Department:
    department = Department(name=name.strip(), description=description)
    department.slug = _unique_slug(department.name)
    department.full_clean()
    department.save()
    return department


@transaction.atomic
def doctor_create(
    *,
    email: str,
    first_name: str,
    last_name: str,
    department: Department,
    specialization: str,
    qualification: str = "",
    experience_years: int = 0,
    consultation_minutes: int = 15,
    bio: str = "",
    phone: str = "",
    password: str | None = None,
) -> Doctor:
    """Create a doctor's account and profile (never self-registered)."""
    user = user_create(
        email=email,
        first_name=first_name,
        last_name=last_name,
        phone=phone,
        password=password,
        role=Role.DOCTOR,
    )
    doctor = Doctor(
        user=user,
        department=department,
        specialization=specialization,
        qualification=qualification,
        experience_years=experience_years,
        consultation_minutes=consultation_minutes,
        bio=bio,
    )
    doctor.full_clean()
    doctor.save()
    return doctor
