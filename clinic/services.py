"""Writes on the clinic directory: departments, doctors and patients.

Every change to a department or a doctor clears the cached directory after
commit (``selectors.directory_changed``), so bulk paths through these
functions are covered as well as the pages.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from accounts.models import User
from accounts.roles import Role
from accounts.services import (
    user_create,
    user_disable,
    user_enable,
    user_send_password_setup,
    user_update,
)
from clinic.models import Department, Doctor, Patient
from clinic.selectors import directory_changed

DEPARTMENT_TAKEN = "A department with this name already exists."


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


@transaction.atomic
def patient_update(
    *,
    patient: Patient,
    phone: str,
    date_of_birth: datetime.date | None,
    gender: str,
    blood_group: str,
    address: str,
    emergency_contact_name: str,
    emergency_contact_phone: str,
    allergies: str,
    first_name: str | None = None,
    last_name: str | None = None,
    email: str | None = None,
) -> Patient:
    """Change a patient's profile; the name and e-mail only when given (admins)."""
    user = patient.user
    user_update(
        user=user,
        first_name=user.first_name if first_name is None else first_name,
        last_name=user.last_name if last_name is None else last_name,
        email=user.email if email is None else email,
        phone=phone,
    )
    patient.date_of_birth = date_of_birth
    patient.gender = gender
    patient.blood_group = blood_group
    patient.address = address
    patient.emergency_contact_name = emergency_contact_name
    patient.emergency_contact_phone = emergency_contact_phone
    patient.allergies = allergies
    patient.full_clean()
    patient.save()
    return patient


def _unique_slug(name: str) -> str:
    base = slugify(name)[:120] or "department"
    slug, n = base, 2
    while Department.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _department_save(department: Department) -> Department:
    # Names are unique whatever their letter case; said next to the name field
    # (the database constraint alone would only say it at the top of the form).
    taken = Department.objects.filter(name__iexact=department.name).exclude(pk=department.pk)
    if department.name and taken.exists():
        raise ValidationError({"name": DEPARTMENT_TAKEN})
    department.full_clean()
    try:
        with transaction.atomic():
            department.save()
    except IntegrityError as exc:
        raise ValidationError({"name": DEPARTMENT_TAKEN}) from exc
    directory_changed()
    return department


@transaction.atomic
def department_create(*, name: str, description: str = "") -> Department:
    department = Department(name=name.strip(), description=description)
    department.slug = _unique_slug(department.name)
    return _department_save(department)


@transaction.atomic
def department_update(*, department: Department, name: str, description: str) -> Department:
    """Rename or describe a department. Its slug (and so its address) stays."""
    department.name = name.strip()
    department.description = description
    return _department_save(department)


@transaction.atomic
def department_set_active(*, department: Department, is_active: bool) -> Department:
    """Deactivate or reactivate a department.

    Departments are never deleted here: past visits keep their department.
    An inactive department and its doctors are hidden from patients.
    """
    department.is_active = is_active
    department.save(update_fields=["is_active", "updated_at"])
    directory_changed()
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
    """Create a doctor's account and profile (never self-registered).

    Without a password the doctor chooses one through ``doctor_invite``.
    """
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
    directory_changed()
    return doctor


def doctor_invite(*, doctor: Doctor, base_url: str) -> None:
    """E-mail the doctor a link to choose their password, once the account is committed."""
    transaction.on_commit(lambda: user_send_password_setup(user=doctor.user, base_url=base_url))


@transaction.atomic
def doctor_update(
    *,
    doctor: Doctor,
    email: str,
    first_name: str,
    last_name: str,
    phone: str,
    department: Department,
    specialization: str,
    qualification: str,
    experience_years: int,
    consultation_minutes: int,
    bio: str,
    is_accepting_patients: bool,
) -> Doctor:
    user_update(
        user=doctor.user, first_name=first_name, last_name=last_name, email=email, phone=phone
    )
    doctor.department = department
    doctor.specialization = specialization
    doctor.qualification = qualification
    doctor.experience_years = experience_years
    doctor.consultation_minutes = consultation_minutes
    doctor.bio = bio
    doctor.is_accepting_patients = is_accepting_patients
    doctor.full_clean()
    doctor.save()
    directory_changed()
    return doctor


@transaction.atomic
def doctor_disable(*, doctor: Doctor, reason: str, by: User) -> Doctor:
    """Blacklist a doctor: no sign-in, hidden from patients, not bookable."""
    user_disable(user=doctor.user, reason=reason, by=by)
    directory_changed()
    return doctor


@transaction.atomic
def doctor_enable(*, doctor: Doctor, by: User) -> Doctor:
    user_enable(user=doctor.user, by=by)
    directory_changed()
    return doctor
