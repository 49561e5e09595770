"""Demo hours and appointments for `manage.py seed_demo`. Safe to run again."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from clinic.demo import DAY_PATIENTS, DOCTORS, PATIENTS
from clinic.models import Doctor, Patient
from clinic.services import treatment_record
from hms.clinic_time import (
    at_clinic_time,
    clinic_date,
    clinic_today,
    clinic_zone,
    day_range,
    local_midnight,
)
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


def _patients(rows=PATIENTS) -> list[Patient]:
    emails = [row[0] for row in rows]
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
    _seed_busy_days(doctors, patients)
    _seed_records(patients)


def seed_queue_display() -> str:
    """A waiting-room screen link for the first demo department; its path."""
    from django.urls import reverse

    from clinic.models import Department
    from scheduling.models import QueueDisplay

    display = QueueDisplay.objects.live().filter(name="Demo waiting room").first()
    if display is None:
        department = Department.objects.order_by("name").first()
        display = services.queue_display_create(
            display=QueueDisplay(name="Demo waiting room", department=department), by=None
        )
    return reverse("scheduling:queue-display", args=[display.token])


# Each doctor's day, on a grid of 20 minutes (the longest demo consultation), so
# no two demo visits of one patient ever overlap.
GRID = timedelta(minutes=20)
PAST_WEEK = 7


def _seed_busy_days(doctors: list[Doctor], patients: list[Patient]) -> None:
    """Whatever hour it is run, each demo doctor has visits today (already
    started, so one can be completed at once, and one later today when the day
    has room), tomorrow, and on each day of the past week (completed, so they
    get records). A doctor's day that already has an appointment is left
    alone, so running it again the same day adds nothing.

    The started visits are 20 and 40 minutes ago, or at midnight when the day
    is younger than that, each with a patient of its own (``DAY_PATIENTS``),
    so they never clash with each other whatever the hour. The first of them
    is checked in at the front desk (Arrived, with a token): only a visit that
    has started, never a later one.
    """
    now = timezone.now().astimezone(clinic_zone())
    today = now.date()
    tomorrow = today + timedelta(days=1)
    midnight = local_midnight(today)
    anchor = now.replace(minute=now.minute - now.minute % 5, second=0, microsecond=0)
    day_patients = _patients(DAY_PATIENTS)
    for i, doctor in enumerate(doctors):
        started = sorted({max(midnight, anchor - GRID * (k + 1)) for k in range(2)})
        todays = [(start, day_patients[2 * i + k], "booked") for k, start in enumerate(started)]
        later = anchor + GRID * (i + 2)
        if later.date() == today:
            todays.append((later, patients[i % len(patients)], "booked"))
        _seed_day(doctor, today, todays)
        _check_in_first_started(doctor, today, now)
        _seed_day(
            doctor,
            tomorrow,
            [
                (
                    at_clinic_time(tomorrow, time(10, 0)) + GRID * (2 * i + k),
                    patients[(i + k) % len(patients)],
                    "booked",
                )
                for k in range(2)
            ],
        )
        for days_ago in range(1, PAST_WEEK + 1):
            day = today - timedelta(days=days_ago)
            patient = patients[(i + days_ago) % len(patients)]
            _seed_day(
                doctor, day, [(at_clinic_time(day, time(11, 0)) + GRID * i, patient, "completed")]
            )


def _check_in_first_started(doctor: Doctor, day: date, now: datetime) -> None:
    """The front desk checks in the first visit of ``doctor`` today that has
    already started, unless someone is checked in already (so a second run
    changes nothing). Later visits stay booked.
    """
    first, end = day_range(day)
    today = Appointment.objects.filter(doctor=doctor, start__gte=first, start__lt=end)
    if today.filter(status=Appointment.Status.ARRIVED).exists():
        return
    started = today.filter(status=Appointment.Status.BOOKED, start__lte=now).order_by("start")
    appointment = started.select_related("patient__user", "doctor__user").first()
    desk = User.objects.filter(groups__name=Role.RECEPTION.group_name).first()
    if appointment is not None and desk is not None:
        services.appointment_check_in(appointment=appointment, by=desk, now=now)


def _seed_day(doctor: Doctor, day: date, visits: list[tuple[datetime, Patient, str]]) -> None:
    """Write ``visits`` of ``doctor`` on ``day`` unless that day already has one.

    Written directly, like the history above: a started or past visit cannot
    be booked through the service. A visit that would clash with one already
    there (the database refuses it) is skipped.
    """
    first, end = day_range(day)
    if Appointment.objects.filter(doctor=doctor, start__gte=first, start__lt=end).exists():
        return
    for start, patient, status in visits:
        appointment = Appointment(
            patient=patient,
            doctor=doctor,
            start=start,
            end=start + timedelta(minutes=doctor.consultation_minutes),
            status=status,
            reason="Demo visit" if status == "completed" else "Consultation",
        )
        try:
            appointment.full_clean()
            with transaction.atomic():
                appointment.save()
        except (ValidationError, IntegrityError):
            continue


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


# The waiting-room screen link of the screenshots (a throw-away database).
SCREENSHOT_DISPLAY = "screenshots-waiting-room"


def seed_front_desk_day() -> None:
    """For the screenshots only (not ``seed_demo``): today's visits of the first
    two demo doctors, some checked in and one called, whatever the time of day
    (written directly, as the demo's past visits are), and a screen link.
    """
    from scheduling.models import QueueDisplay

    desk = User.objects.filter(groups__name=Role.RECEPTION.group_name).first()
    doctors, patients = _doctors()[:2], _patients()
    now = timezone.now().astimezone(clinic_zone())
    # From two hours ago (or midnight): the first visits have started and are
    # checked in; a visit still to come is never shown as Arrived.
    anchor = now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=2)
    base = max(local_midnight(now.date()), anchor)
    for d, doctor in enumerate(doctors):
        waiting = False
        for n, patient in enumerate(patients):
            start = base + timedelta(hours=n, minutes=30 * d)
            appointment = Appointment(
                patient=patient,
                doctor=doctor,
                start=start,
                end=start + timedelta(minutes=doctor.consultation_minutes),
                reason="Consultation",
                booked_by=desk,
            )
            appointment.full_clean(validate_constraints=False)
            try:
                with transaction.atomic():
                    appointment.save()
            except IntegrityError:
                continue  # the doctor has a demo visit at that very time
            if n < 2 and start <= now:
                services.appointment_check_in(appointment=appointment, by=desk, now=now)
                waiting = True
        if waiting:
            services.queue_call_next(doctor=doctor, by=doctor.user, now=now)
    services.queue_display_create(
        display=QueueDisplay(
            name="OPD hall", department=doctors[0].department, token=SCREENSHOT_DISPLAY
        ),
        by=None,
    )
