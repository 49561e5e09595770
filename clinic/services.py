"""Writes on the clinic: departments, doctors, patients and their visit records."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.roles import Role
from accounts.services import user_create
from clinic import icd10
from clinic.models import Department, Doctor, Patient, PrescriptionItem, Treatment


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


# Clinical records


def _prescription(items: Iterable[Mapping]) -> list[PrescriptionItem]:
    """Validated, unsaved prescription lines; every line's errors at once."""
    lines, errors = [], []
    for n, item in enumerate(items, start=1):
        line = PrescriptionItem(
            medicine=(item.get("medicine") or "").strip(),
            dosage=(item.get("dosage") or "").strip(),
            frequency=(item.get("frequency") or "").strip(),
            duration_days=item.get("duration_days"),
            instructions=(item.get("instructions") or "").strip(),
        )
        try:
            line.full_clean(exclude=["treatment"])
        except ValidationError as exc:
            errors.extend(f"Prescription line {n}: {m}" for m in exc.messages)
        lines.append(line)
    if errors:
        raise ValidationError(errors)
    return lines


def _write(
    treatment: Treatment,
    *,
    diagnosis: str,
    icd10_code: str,
    notes: str,
    items: Iterable[Mapping],
    next_visit_on: date | None,
    today: date,
) -> Treatment:
    """Validate the record and every prescription line, then save them; the lines
    replace any the record had.
    """
    treatment.diagnosis = diagnosis.strip()
    treatment.icd10_code = icd10.normalize(icd10_code)
    treatment.notes = notes.strip()
    treatment.next_visit_on = next_visit_on
    if next_visit_on is not None and next_visit_on <= today:
        raise ValidationError({"next_visit_on": "The next visit must be on a later day."})
    treatment.full_clean(exclude=["patient", "doctor"])
    lines = _prescription(items)
    treatment.save()
    treatment.items.all().delete()
    for line in lines:
        line.treatment = treatment
    PrescriptionItem.objects.bulk_create(lines)
    return treatment


@transaction.atomic
def treatment_record(
    *,
    patient: Patient,
    doctor: Doctor,
    diagnosis: str,
    icd10_code: str = "",
    notes: str = "",
    items: Iterable[Mapping] = (),
    next_visit_on: date | None = None,
    visit_date: date | None = None,
    now: datetime | None = None,
) -> Treatment:
    """Record what ``doctor`` found and prescribed when ``patient`` visited.

    The visit is today (clinic time) unless ``visit_date`` says otherwise; a
    suggested next visit must be after today. All or nothing: one bad
    prescription line saves nothing.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    return _write(
        Treatment(patient=patient, doctor=doctor, visit_date=visit_date or today),
        diagnosis=diagnosis,
        icd10_code=icd10_code,
        notes=notes,
        items=items,
        next_visit_on=next_visit_on,
        today=today,
    )


@transaction.atomic
def treatment_amend(
    *,
    treatment: Treatment,
    by,
    diagnosis: str,
    icd10_code: str = "",
    notes: str = "",
    items: Iterable[Mapping] = (),
    next_visit_on: date | None = None,
    now: datetime | None = None,
) -> Treatment:
    """The treating doctor corrects a visit record inside the amend window.

    The prescription is replaced by ``items``; who amended it and when is kept.
    """
    now = now or timezone.now()
    treatment = (
        Treatment.objects.select_for_update(of=("self",))
        .select_related("doctor__user", "patient__user")
        .get(pk=treatment.pk)
    )
    refusal = treatment.amend_refusal(by=by, now=now)
    if refusal:
        raise ValidationError(refusal)
    treatment.amended_at = now
    treatment.amended_by = by
    return _write(
        treatment,
        diagnosis=diagnosis,
        icd10_code=icd10_code,
        notes=notes,
        items=items,
        next_visit_on=next_visit_on,
        today=timezone.localdate(now),
    )
