"""Demo hours and appointments for `manage.py seed_demo`. Safe to run again."""

from __future__ import annotations

from datetime import time, timedelta

from django.core.exceptions import ValidationError

from clinic.demo import DOCTORS, PATIENTS
from clinic.models import Doctor, Patient
from clinic.services import treatment_record
from hms.clinic_time import at_clinic_time, clinic_date, clinic_today
from scheduling import selectors, services
from scheduling.models import Appointment

MORNING = (time(9, 0), time(13, 0))  # Monday to Saturday
EVENING = (time(16, 0), time(18, 0))  # Monday to Friday

# (days ago, doctor index, slot index, status): a little history per patient.
PAST = [
    (21, 0, 2, Appointment.Status.COMPLETED),
    (14, 3, 1, Appointment.Status.COMPLETED),
    (9, 1, 4, Appointment.Status.NO_SHOW),
    (6, 2, 3, Appointment.Status.CANCELLED),
    (3, 3, 5, Appointment.Status.COMPLETED),
]


# The latest demo visits (3 days ago) suggest a follow-up inside the booking window.
FOLLOW_UP_DAYS = 9

ITEM_FIELDS = ("medicine", "dosage", "frequency", "duration_days", "instructions")

# What the demo doctors found at the completed visits, in turn.
RECORDS = [
    (
        "Acute upper respiratory infection",
        "J06.9",
        "Steam inhalation, plenty of fluids, rest for three days.",
        [
            ("Paracetamol", "500 mg", "Three times a day", 3, "After meals"),
            ("Cetirizine", "10 mg", "At night", 5, "May cause drowsiness"),
        ],
    ),
    (
        "Essential hypertension",
        "I10",
        "Low-salt diet, 30 minutes' walk daily; check blood pressure at home.",
        [
            ("Amlodipine", "5 mg", "Once a day", 30, "In the morning"),
            ("Aspirin", "75 mg", "Once a day", 30, "After lunch"),
        ],
    ),
    (
        "Type 2 diabetes mellitus without complications",
        "E11.9",
        "Diet chart given; fasting sugar and HbA1c before the next visit.",
        [
            ("Metformin", "500 mg", "Twice a day", 30, "With breakfast and dinner"),
            ("Vitamin D3", "60000 IU", "Once a week", 56, ""),
        ],
    ),
]


def _doctors() -> list[Doctor]:
    emails = [row[0] for row in DOCTORS]
    found = {d.user.email: d for d in Doctor.objects.select_related("user", "department")}
    return [found[e] for e in emails]


def _patients() -> list[Patient]:
    emails = [row[0] for row in PATIENTS]
    found = {p.user.email: p for p in Patient.objects.select_related("user")}
    return [found[e] for e in emails]


def seed_schedule() -> None:
    """Weekly hours for every demo doctor; past and upcoming visits for the demo patients."""
    doctors = _doctors()
    for doctor in doctors:
        if doctor.weekly_blocks.exists():
            continue
        for weekday in range(6):
            services.weekly_block_add(
                doctor=doctor, weekday=weekday, start_time=MORNING[0], end_time=MORNING[1]
            )
            if weekday < 5:
                services.weekly_block_add(
                    doctor=doctor, weekday=weekday, start_time=EVENING[0], end_time=EVENING[1]
                )
    patients = _patients()
    if not Appointment.objects.filter(patient__in=patients).exists():
        _seed_appointments(doctors, patients)
    _seed_records(patients)


def _seed_records(patients: list[Patient]) -> None:
    """A visit record with a two-line prescription for each completed demo visit
    that has none, as the doctor would have written it at the visit.
    """
    completed = (
        Appointment.objects.filter(
            patient__in=patients, status=Appointment.Status.COMPLETED, treatment=None
        )
        .select_related("patient", "doctor")
        .order_by("start", "id")
    )
    for n, appointment in enumerate(completed):
        diagnosis, code, notes, lines = RECORDS[n % len(RECORDS)]
        visit_day = clinic_date(appointment.start)
        appointment.treatment = treatment_record(
            patient=appointment.patient,
            doctor=appointment.doctor,
            diagnosis=diagnosis,
            icd10_code=code,
            notes=notes,
            items=[dict(zip(ITEM_FIELDS, line, strict=True)) for line in lines],
            next_visit_on=visit_day + timedelta(days=FOLLOW_UP_DAYS),
            visit_date=visit_day,
            now=appointment.start,
        )
        appointment.save(update_fields=["treatment", "updated_at"])


def _seed_appointments(doctors: list[Doctor], patients: list[Patient]) -> None:
    today = clinic_today()
    for n, patient in enumerate(patients):
        for days_ago, doctor_index, slot_index, status in PAST:
            doctor = doctors[(doctor_index + n) % len(doctors)]
            start = at_clinic_time(today - timedelta(days=days_ago), MORNING[0]) + timedelta(
                minutes=doctor.consultation_minutes * (slot_index + 4 * n)
            )
            appointment = Appointment(
                patient=patient,
                doctor=doctor,
                start=start,
                end=start + timedelta(minutes=doctor.consultation_minutes),
                status=status,
                reason="Follow-up" if status == Appointment.Status.COMPLETED else "Consultation",
            )
            if status == Appointment.Status.CANCELLED:
                appointment.cancellation_reason = "Patient was travelling."
                appointment.cancelled_by = patient.user
                appointment.cancelled_at = start - timedelta(days=1)
            appointment.save()
        # One upcoming visit each, in the first free slot a day or two ahead.
        doctor = doctors[n % len(doctors)]
        days = selectors.free_slots(doctor=doctor)
        for slots in list(days.values())[1 + n % 2 :]:
            if len(slots) > n + 2:
                try:
                    services.appointment_book(
                        patient=patient,
                        doctor=doctor,
                        start=slots[n + 2].start,
                        reason="Routine check-up",
                    )
                except ValidationError:
                    continue
                break
