"""Hospital-scale data for the benchmark: people, hours, years of appointments.

The size is one number, the appointments; the rest follows it (a doctor per
1,000 appointments, a patient per 10, a department per 20 doctors, at most
50). 1,000,000 appointments give 50 departments, 1,000 doctors, 100,000
patients and about 700,000 visit records with 1,750,000 prescription lines.

Rows are written with PostgreSQL COPY (``bulk_create`` in batches on other
databases), with ids assigned here, so one pass needs no read-back. Every
user shares ONE password hash. Appointments sit on a regular grid, so the
no-overlap constraints hold by construction: each doctor's k-th appointment
is at the same (day, slot) for every doctor, and the appointments of one
(day, slot) go to consecutive patient numbers, hence different patients.
On PostgreSQL the two exclusion constraints are dropped for the load and
added back afterwards, which checks every row against them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.db.models import Max, Model
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from clinic.models import Department, Doctor, Patient, PrescriptionItem, Treatment
from hms.clinic_time import at_clinic_time, clinic_date, clinic_today
from scheduling.models import Appointment, WeeklyAvailability

PASSWORD = "bench-password-2026!"  # noqa: S105 (the benchmark database only)
PAST_DAYS = 3 * 365 - 60  # the history behind today
FUTURE_DAYS = 60  # booked ahead
OPEN, SLOT_MINUTES, SLOTS_PER_DAY = time(9), 15, 32  # 09:00-17:00, every day
DIAGNOSES = [
    ("Essential hypertension", "I10"),
    ("Type 2 diabetes mellitus without complications", "E119"),
    ("Acute upper respiratory infection", "J069"),
    ("Low back pain", "M545"),
    ("Migraine, unspecified", "G439"),
    ("Gastro-oesophageal reflux disease", "K219"),
    ("Iron deficiency anaemia", "D509"),
    ("Asthma, unspecified", "J459"),
]
MEDICINES = ["Paracetamol", "Amoxicillin", "Metformin", "Amlodipine", "Omeprazole", "Salbutamol"]
# Appointment statuses of the past, by share (the 5% booked are all ahead).
PAST_SHARES = ((0.70, "completed"), (0.90, "cancelled"), (0.95, "no_show"))
EXCLUSION_CONSTRAINTS = {
    # As in scheduling/migrations/0002_no_overlap_constraints.py.
    "scheduling_appointment_doctor_no_overlap": "doctor_id",
    "scheduling_appointment_patient_no_overlap": "patient_id",
}


@dataclass(frozen=True)
class Scale:
    appointments: int

    @property
    def doctors(self) -> int:
        return max(2, self.appointments // 1000)

    @property
    def patients(self) -> int:
        return max(self.doctors, 20, self.appointments // 10)

    @property
    def departments(self) -> int:
        return min(50, max(1, self.doctors // 20))

    @property
    def per_doctor(self) -> int:
        return math.ceil(self.appointments / self.doctors)

    @property
    def past_per_doctor(self) -> int:
        return self.per_doctor - max(1, round(self.per_doctor * 0.05))


def _next_id(model: type[Model]) -> int:
    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


def load(model: type[Model], fields: list[str], rows: Iterable[tuple]) -> int:
    """Insert ``rows`` (tuples of ``fields``' values, ids included); returns how many."""
    count = 0
    if connection.vendor == "postgresql":
        opts = model._meta
        columns = ", ".join(
            connection.ops.quote_name(opts.get_field(f).column if f != "id" else "id")
            for f in fields
        )
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {opts.db_table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            # Ids were given here: move the sequence past them.
            table = opts.db_table  # from the model, no input
            biggest = f"SELECT COALESCE(MAX(id), 1) FROM {table}"  # noqa: S608
            cursor.execute(f"SELECT setval(pg_get_serial_sequence(%s, 'id'), ({biggest}))", [table])
        return count
    attnames = [model._meta.get_field(f).attname if f != "id" else "id" for f in fields]
    batch: list[Model] = []
    for row in rows:
        batch.append(model(**dict(zip(attnames, row, strict=True))))
        if len(batch) == 2000:
            model.objects.bulk_create(batch)
            count += len(batch)
            batch = []
    model.objects.bulk_create(batch)
    return count + len(batch)


def reset() -> None:
    """Empty every table the benchmark fills (PostgreSQL: the benchmark's own database)."""
    if connection.vendor != "postgresql":
        raise RuntimeError("reset() truncates tables; only for the PostgreSQL bench database.")
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE accounts_user, clinic_department, django_session, reports_exportjob "
            "RESTART IDENTITY CASCADE"
        )


def users(*, first_id: int, count: int, prefix: str, password: str, **flags) -> Iterator[tuple]:
    now = timezone.now()
    for i in range(count):
        yield (
            first_id + i,
            password,
            flags.get("is_superuser", False),
            f"{prefix}.{i}@bench.hms.test",
            prefix.capitalize(),
            f"No{i:07d}",
            f"+91 98{i:08d}",
            True,
            flags.get("is_staff", False),
            "",
            now,
        )


USER_FIELDS = [
    "id",
    "password",
    "is_superuser",
    "email",
    "first_name",
    "last_name",
    "phone",
    "is_active",
    "is_staff",
    "disabled_reason",
    "date_joined",
]


def add_users(*, count: int, prefix: str, role: Role, password: str, **flags) -> int:
    """``count`` users in ``role``'s group; returns the first new id."""
    first = _next_id(User)
    load(
        User,
        USER_FIELDS,
        users(first_id=first, count=count, prefix=prefix, password=password, **flags),
    )
    group = Group.objects.get(name=role.group_name)
    through = User.groups.through
    first_link = (through.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    load(
        through,
        ["id", "user", "group"],
        ((first_link + i, first + i, group.pk) for i in range(count)),
    )
    return first


def add_patients(*, count: int, prefix: str, password: str) -> int:
    """``count`` patients with their user accounts; returns the first new patient id."""
    first_user = add_users(count=count, prefix=prefix, role=Role.PATIENT, password=password)
    first = _next_id(Patient)
    now = timezone.now()
    genders = ["female", "male", "other", "undisclosed"]
    groups = ["A+", "B+", "O+", "AB+", "O-"]
    load(
        Patient,
        [
            "id",
            "user",
            "date_of_birth",
            "gender",
            "blood_group",
            "address",
            "emergency_contact_name",
            "emergency_contact_phone",
            "allergies",
            "created_at",
            "updated_at",
        ],
        (
            (
                first + i,
                first_user + i,
                date(1950 + i % 60, 1 + i % 12, 1 + i % 28),
                genders[i % 4],
                groups[i % 5],
                f"{i} MG Road, Bengaluru",
                "",
                "",
                "",
                now,
                now,
            )
            for i in range(count)
        ),
    )
    return first


def _local(day: date, slot: int) -> datetime:
    start = at_clinic_time(day, OPEN)
    return start + timedelta(minutes=SLOT_MINUTES * slot)


def _past_status(j: int) -> str:
    u = ((j * 2654435761) % 4294967296) / 4294967296 * 0.95
    return next(status for share, status in PAST_SHARES if u < share)


def seed(
    *, appointments: int, tag: str = "", today: date | None = None, say: Callable = print
) -> dict:
    """Add ``appointments`` appointments and the people they need; returns what it made.

    ``tag`` keeps names and e-mails apart when seeding twice into one database.
    """
    scale = Scale(appointments)
    today = today or clinic_today()
    past_start = today - timedelta(days=PAST_DAYS)
    hash_ = make_password(PASSWORD)  # one hash for every account: hashing is slow on purpose
    now = timezone.now()
    made: dict = {"appointments": appointments}
    with transaction.atomic():
        admin_user = add_users(
            count=1,
            prefix=f"admin{tag}",
            role=Role.ADMIN,
            password=hash_,
            is_staff=True,
            is_superuser=True,
        )
        made["admin_user"] = admin_user

        first_dept = _next_id(Department)
        load(
            Department,
            ["id", "name", "slug", "description", "is_active", "created_at", "updated_at"],
            (
                (
                    first_dept + i,
                    f"Department {tag}{i:02d}",
                    f"bench-dept-{tag}{i}",
                    "",
                    True,
                    now,
                    now,
                )
                for i in range(scale.departments)
            ),
        )
        doctor_user = add_users(
            count=scale.doctors, prefix=f"doctor{tag}", role=Role.DOCTOR, password=hash_
        )
        first_doctor = _next_id(Doctor)
        load(
            Doctor,
            [
                "id",
                "user",
                "department",
                "specialization",
                "qualification",
                "registration_number",
                "experience_years",
                "consultation_minutes",
                "bio",
                "is_accepting_patients",
                "created_at",
                "updated_at",
            ],
            (
                (
                    first_doctor + d,
                    doctor_user + d,
                    first_dept + d % scale.departments,
                    "General medicine",
                    "MBBS",
                    "",
                    5 + d % 30,
                    SLOT_MINUTES,
                    "",
                    True,
                    now,
                    now,
                )
                for d in range(scale.doctors)
            ),
        )
        first_block = _next_id(WeeklyAvailability)
        load(
            WeeklyAvailability,
            ["id", "doctor", "weekday", "start_time", "end_time"],
            (
                (first_block + d * 7 + w, first_doctor + d, w, OPEN, time(17))
                for d in range(scale.doctors)
                for w in range(7)
            ),
        )
        say(f"  {scale.departments} departments, {scale.doctors} doctors with hours")
        first_patient = add_patients(count=scale.patients, prefix=f"patient{tag}", password=hash_)
        say(f"  {scale.patients} patients")
        made.update(
            first_doctor=first_doctor,
            doctors=scale.doctors,
            first_patient=first_patient,
            patients=scale.patients,
            first_department=first_dept,
        )

        def grid() -> Iterator[tuple[int, int, int, datetime, str]]:
            """(j, doctor id, patient id, start, status) of every appointment."""
            per, past = scale.per_doctor, scale.past_per_doctor
            future = per - past
            for j in range(appointments):
                d, k = j % scale.doctors, j // scale.doctors
                if k < past:
                    day = past_start + timedelta(days=k * PAST_DAYS // past)
                    status = _past_status(j)
                else:
                    day = today + timedelta(days=1 + (k - past) * FUTURE_DAYS // future)
                    status = "booked"
                yield (
                    j,
                    first_doctor + d,
                    first_patient + j % scale.patients,
                    _local(day, k % SLOTS_PER_DAY),
                    status,
                )

        first_treatment = _next_id(Treatment)

        def treatments() -> Iterator[tuple]:
            t = first_treatment
            for j, doctor, patient, start, status in grid():
                if status == "completed":
                    diagnosis, code = DIAGNOSES[j % len(DIAGNOSES)]
                    visit = clinic_date(start)
                    follow = visit + timedelta(days=30) if j % 3 == 0 else None
                    end = start + timedelta(minutes=SLOT_MINUTES)
                    yield (
                        t,
                        patient,
                        doctor,
                        visit,
                        diagnosis,
                        code,
                        "Rest, fluids.",
                        follow,
                        end,
                        end,
                    )
                    t += 1

        count = load(
            Treatment,
            [
                "id",
                "patient",
                "doctor",
                "visit_date",
                "diagnosis",
                "icd10_code",
                "notes",
                "next_visit_on",
                "created_at",
                "updated_at",
            ],
            treatments(),
        )
        say(f"  {count} visit records")
        made["treatments"] = count

        # Ids are read before a COPY starts: the connection runs nothing else during one.
        first_item, first_appointment = _next_id(PrescriptionItem), _next_id(Appointment)

        def items() -> Iterator[tuple]:
            i, t = first_item, first_treatment
            for j, _doctor, _patient, _start, status in grid():
                if status == "completed":
                    for line in range(1 + j % 4):
                        medicine = MEDICINES[(j + line) % len(MEDICINES)]
                        yield (i, t, medicine, "500 mg", "twice a day", 5 + line, "")
                        i += 1
                    t += 1

        count = load(
            PrescriptionItem,
            ["id", "treatment", "medicine", "dosage", "frequency", "duration_days", "instructions"],
            items(),
        )
        say(f"  {count} prescription lines")
        made["prescription_items"] = count

        def appointment_rows() -> Iterator[tuple]:
            a, t = first_appointment, first_treatment
            for _j, doctor, patient, start, status in grid():
                end = start + timedelta(minutes=SLOT_MINUTES)
                treatment = completed_at = cancelled_at = cancelled_by = None
                reason = ""
                if status == "completed":
                    treatment, completed_at = t, end
                    t += 1
                elif status == "cancelled":
                    cancelled_at = start - timedelta(days=1)
                    reason = "Patient asked to cancel."
                    # The patient's own user id: patients and users were numbered together.
                    cancelled_by = patient - first_patient + first_user_of_patients
                yield (
                    a,
                    patient,
                    doctor,
                    start,
                    end,
                    status,
                    "Check-up",
                    reason,
                    cancelled_by,
                    cancelled_at,
                    completed_at,
                    treatment,
                    False,
                    start - timedelta(days=7),
                    now,
                )
                a += 1

        first_user_of_patients = Patient.objects.get(pk=first_patient).user_id
        with _exclusion_constraints_off():
            count = load(
                Appointment,
                [
                    "id",
                    "patient",
                    "doctor",
                    "start",
                    "end",
                    "status",
                    "reason",
                    "cancellation_reason",
                    "cancelled_by",
                    "cancelled_at",
                    "completed_at",
                    "treatment",
                    "is_walk_in",
                    "created_at",
                    "updated_at",
                ],
                appointment_rows(),
            )
        say(f"  {count} appointments (no-overlap constraints checked)")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return made


class _exclusion_constraints_off:
    """Drop the no-overlap constraints for a bulk load and add them back (which
    checks every row); PostgreSQL only.
    """

    def __enter__(self):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                for name in EXCLUSION_CONSTRAINTS:
                    cursor.execute(f"ALTER TABLE scheduling_appointment DROP CONSTRAINT {name}")

    def __exit__(self, exc_type, exc, tb):
        if connection.vendor == "postgresql" and exc_type is None:
            with connection.cursor() as cursor:
                # Check the deferred foreign keys now: ALTER TABLE waits for no trigger.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                active = ", ".join(f"'{status}'" for status in Appointment.ACTIVE_STATUSES)
                for name, column in EXCLUSION_CONSTRAINTS.items():
                    cursor.execute(
                        f"ALTER TABLE scheduling_appointment ADD CONSTRAINT {name} "
                        f"EXCLUDE USING gist ({column} WITH =, "
                        "tstzrange(start, \"end\", '[)') WITH &&) "
                        f"WHERE (status IN ({active}))"
                    )


def booked_day(
    *, day: date, count: int, first_doctor: int, doctors: int, first_patient: int, patients: int
) -> int:
    """``count`` booked appointments on ``day`` (reminder benchmark); returns how many fit."""
    count = min(count, doctors * SLOTS_PER_DAY, patients * SLOTS_PER_DAY)
    first = _next_id(Appointment)
    now = timezone.now()

    def rows():
        for j in range(count):
            start = _local(day, j // doctors)
            yield (
                first + j,
                first_patient + j % patients,
                first_doctor + j % doctors,
                start,
                start + timedelta(minutes=SLOT_MINUTES),
                "booked",
                "Check-up",
                "",
                False,
                now,
                now,
            )

    with transaction.atomic():
        load(
            Appointment,
            [
                "id",
                "patient",
                "doctor",
                "start",
                "end",
                "status",
                "reason",
                "cancellation_reason",
                "is_walk_in",
                "created_at",
                "updated_at",
            ],
            rows(),
        )
    return count
