"""Reads on the clinic directory and its visit records.

The public department list and each department's doctor list are cached as
plain data (lists of dicts) for ``HMS_DIRECTORY_CACHE_SECONDS``; every change
to a department or a doctor clears them once the change is committed
(``directory_changed``), so a change shows at once. When the cache is down
(Redis unreachable reads as a miss) the lists come from the database.
A bookable doctor, as the booking page shows them, is cached the same way
(``bookable_doctor``), under a directory version that the same clear renews.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet, Value
from django.db.models.functions import Replace, TruncDate
from django.utils import timezone
from django.utils.crypto import get_random_string

from clinic.models import Department, Doctor, Patient, Treatment, doctor_name
from hms.clinic_time import clinic_today

DEPARTMENTS_KEY = "clinic:directory:departments"
DIRECTORY_VERSION_KEY = "clinic:directory:version"
PATIENT_NUMBER = re.compile(r"^[Pp]?0*(\d{1,12})$")


def patient_pk_from_number(text: str) -> int | None:
    """The patient id in ``P000012``, ``p12`` or ``12``, or None if ``text`` is not one."""
    match = PATIENT_NUMBER.match(text.strip())
    return int(match.group(1)) if match else None


# Shorter all-digit words are read as a patient id only.
PHONE_FRAGMENT_MIN = 4


def department_doctors_key(department_id: int) -> str:
    return f"clinic:directory:department:{department_id}:doctors"


def _cached(key: str, build: Callable[[], list[dict[str, Any]]]) -> list[dict[str, Any]]:
    # Not cache.get_or_set: with django-redis ignoring errors a miss during an
    # outage reads as None, which get_or_set would hand back as the value.
    data = cache.get(key)
    if data is None:
        data = build()
        cache.set(key, data, settings.HMS_DIRECTORY_CACHE_SECONDS)
    return data


def department_directory() -> list[dict[str, Any]]:
    """The departments patients can browse, with how many listed doctors each has
    and how many of them take bookings."""

    def build() -> list[dict[str, Any]]:
        listed = Q(doctors__user__is_active=True)
        bookable = listed & Q(doctors__is_accepting_patients=True)  # Doctor.objects.bookable()
        rows = (
            Department.objects.listed()
            .annotate(
                doctor_count=Count("doctors", filter=listed),
                bookable_count=Count("doctors", filter=bookable),
            )
            .order_by("name")
            .values(
                "id", "name", "slug", "description", "is_active", "doctor_count", "bookable_count"
            )
        )
        return list(rows)

    return _cached(DEPARTMENTS_KEY, build)


def directory_department(*, slug: str) -> dict[str, Any] | None:
    """One department of the directory by its slug (from the cached list), or None."""
    return next((d for d in department_directory() if d["slug"] == slug), None)


def department_doctors(*, department_id: int) -> list[dict[str, Any]]:
    """The doctors of one department that patients can see, as plain data."""

    def build() -> list[dict[str, Any]]:
        rows = (
            Doctor.objects.listed()
            .filter(department_id=department_id)
            .order_by("user__last_name", "user__first_name", "id")
            .values(
                "id",
                "user__first_name",
                "user__last_name",
                "specialization",
                "qualification",
                "experience_years",
                "is_accepting_patients",
            )
        )
        return [
            {
                "id": row["id"],
                "name": doctor_name(row["user__first_name"], row["user__last_name"]),
                "specialization": row["specialization"],
                "qualification": row["qualification"],
                "experience_years": row["experience_years"],
                "is_accepting_patients": row["is_accepting_patients"],
            }
            for row in rows
        ]

    return _cached(department_doctors_key(department_id), build)


def bookable_doctor_key(doctor_id: int) -> str:
    return f"clinic:directory:doctor:{doctor_id}"


# The columns patients' pages show of a doctor: the booking page (which also
# reads their consultation length to offer slots) and the list of doctors.
DOCTOR_SHOWN_FIELDS = (
    "specialization",
    "consultation_minutes",
    "is_accepting_patients",
    "user__first_name",
    "user__last_name",
    "user__is_active",
    "department__name",
    "department__slug",
    "department__is_active",
)


def bookable_doctor(*, pk: int) -> Doctor | None:
    """The doctor patients can book (``Doctor.objects.bookable()``) with this id,
    with their name and department, or None (not bookable, or no such doctor).

    Kept in the cache with the directory's version: any change to a doctor,
    their account or a department renews the version once it is committed
    (``directory_changed``), so a doctor who stops taking bookings is never
    read from the cache after it. Only the columns the booking page shows are
    loaded; a write loads the doctor afresh.
    """
    key = bookable_doctor_key(pk)
    found = cache.get_many([DIRECTORY_VERSION_KEY, key])
    version = found.get(DIRECTORY_VERSION_KEY)
    if version is None:
        # Started before reading the row, so a change committed meanwhile renews it.
        cache.add(DIRECTORY_VERSION_KEY, get_random_string(12), None)
        version = cache.get(DIRECTORY_VERSION_KEY)
    kept = found.get(key)
    if version is not None and kept is not None and kept[0] == version:
        return kept[1]
    doctor = (
        Doctor.objects.bookable()
        .select_related("user", "department")
        .only(*DOCTOR_SHOWN_FIELDS)
        .filter(pk=pk)
        .first()
    )
    if doctor is not None and version is not None:
        cache.set(key, (version, doctor), settings.HMS_DIRECTORY_CACHE_SECONDS)
    return doctor


def directory_cache_clear() -> None:
    # A new version, never a counter: an evicted one made again cannot come back
    # to an old doctor's entry.
    cache.set(DIRECTORY_VERSION_KEY, get_random_string(12), None)
    keys = [DEPARTMENTS_KEY]
    keys += [department_doctors_key(pk) for pk in Department.objects.values_list("pk", flat=True)]
    cache.delete_many(keys)


def directory_changed() -> None:
    """Clear the cached directory once the current transaction commits.

    After commit, so a request between the clear and the commit cannot put
    the old data back in the cache.
    """
    transaction.on_commit(directory_cache_clear)


def own_patient(user) -> Patient | None:
    """The signed-in person's own patient record, or None.

    It is loaded with the person at each request (clinic.backends.PersonBackend),
    so this is usually no query.
    """
    try:
        return user.patient
    except Patient.DoesNotExist:
        return None


def own_doctor(user) -> Doctor | None:
    """The signed-in person's own doctor record (with its department), or None."""
    try:
        return user.doctor
    except Doctor.DoesNotExist:
        return None


def _words(query: str) -> list[str]:
    return query.split()[:8]


def doctor_search(*, user, query: str = "") -> QuerySet[Doctor]:
    """Doctors ``user`` may see whose name, specialization or department match every word."""
    doctors = Doctor.objects.visible_to(user).select_related("user", "department")
    for word in _words(query):
        doctors = doctors.filter(
            Q(user__first_name__icontains=word)
            | Q(user__last_name__icontains=word)
            | Q(specialization__icontains=word)
            | Q(department__name__icontains=word)
        )
    return doctors.order_by("user__last_name", "user__first_name", "id")


def patients_matching(patients: QuerySet[Patient], query: str = "") -> QuerySet[Patient]:
    """The one patient search: ``patients`` matching every word of ``query`` by
    name, e-mail, phone (digits, whatever the spaces or dashes) or patient
    number (``P000012`` or plain ``12``). Used by the admins' list, the front
    desk, the walk-in finder and the Django admin; each passes its own scope.
    """
    # The phone as digits only, so "9845000001" finds "+91 98450 00001".
    patients = patients.annotate(
        phone_digits=Replace(
            Replace(Replace(Replace("user__phone", Value(" ")), Value("-")), Value("+")),
            Value("."),
        )
    )
    for word in _words(query):
        number = PATIENT_NUMBER.match(word)
        if number and len(word) < PHONE_FRAGMENT_MIN:
            # "12" or "P12" is a patient id, not every phone with a 1 and a 2.
            patients = patients.filter(pk=int(number.group(1)))
            continue
        match = (
            Q(user__first_name__icontains=word)
            | Q(user__last_name__icontains=word)
            | Q(user__email__icontains=word)
            | Q(user__phone__icontains=word)
        )
        digits = re.sub(r"[\s+.-]", "", word)
        if digits.isdigit() and len(digits) >= PHONE_FRAGMENT_MIN:
            match |= Q(phone_digits__contains=digits)
        if number:
            match |= Q(pk=int(number.group(1)))
        patients = patients.filter(match)
    return patients


def patient_search(*, user, query: str = "") -> QuerySet[Patient]:
    """Patients ``user`` may see that match ``query`` (``patients_matching``)."""
    patients = Patient.objects.visible_to(user).select_related("user")
    return patients_matching(patients, query).order_by("user__last_name", "user__first_name", "id")


def department_manage_list(*, user) -> QuerySet[Department]:
    """Every department ``user`` may manage, with its number of doctors."""
    return (
        Department.objects.visible_to(user).annotate(doctor_count=Count("doctors")).order_by("name")
    )


def doctor_knows_patient(*, doctor: Doctor, patient: Patient) -> bool:
    """Whether ``doctor`` has an appointment with ``patient`` or has treated them
    (the care relationship that lets a doctor read the record)."""
    return Patient.objects.visible_to(doctor.user).filter(pk=patient.pk).exists()


@dataclass(frozen=True)
class RecordViews:
    """One person's openings of a record on one clinic day."""

    actor: object  # a User, or None when the log kept no actor
    day: date
    times: int
    last: datetime
    # Openings without a care relationship (break-the-glass), with their reasons.
    reasons: tuple[str, ...] = ()


def record_views(*, patient: Patient, limit: int = 20) -> list[RecordViews]:
    """Who of the staff opened this patient's record (the audit log), one line
    per person and clinic day ("Dr. Asha Rao, 9 times on 2 Dec"), newest first.
    """
    from auditlog.models import LogEntry

    from accounts.models import User

    rows = list(
        LogEntry.objects.get_for_object(patient)
        .filter(action=LogEntry.Action.ACCESS)
        .annotate(day=TruncDate("timestamp", tzinfo=timezone.get_current_timezone()))
        .values("actor_id", "day")
        .annotate(times=Count("id"), last=Max("timestamp"))
        .order_by("-day", "-last")[:limit]
    )
    actors = User.objects.prefetch_related("groups").in_bulk(
        {row["actor_id"] for row in rows if row["actor_id"]}
    )
    flagged: dict[tuple, list[str]] = {}
    for entry in (
        LogEntry.objects.get_for_object(patient)
        .filter(action=LogEntry.Action.ACCESS, additional_data__break_glass=True)
        .values("actor_id", "timestamp", "additional_data")
    ):
        key = (entry["actor_id"], timezone.localtime(entry["timestamp"]).date())
        flagged.setdefault(key, []).append(str(entry["additional_data"].get("reason", "")))
    return [
        RecordViews(
            actor=actors.get(row["actor_id"]),
            day=row["day"],
            times=row["times"],
            last=row["last"],
            reasons=tuple(flagged.get((row["actor_id"], row["day"]), ())),
        )
        for row in rows
    ]


def treatment_history(*, user, patient: Patient) -> QuerySet[Treatment]:
    """``patient``'s visit records that ``user`` may read, newest first, with their
    doctors and prescription lines in a fixed number of queries.
    """
    return (
        Treatment.objects.visible_to(user)
        .filter(patient=patient)
        .with_details()
        .order_by("-visit_date", "-created_at", "-id")
    )


def treatment_for(*, user, pk: int) -> Treatment:
    """One visit record ``user`` may read; others' ids raise DoesNotExist (a 404)."""
    return Treatment.objects.visible_to(user).with_details().get(pk=pk)


def next_visit_suggestion(*, patient: Patient, today: date | None = None) -> Treatment | None:
    """The latest visit record that suggests a follow-up today or later: its
    day and its doctor (name and department), nothing of the record itself.
    """
    today = today or clinic_today()
    return (
        Treatment.objects.filter(patient=patient, next_visit_on__gte=today)
        .select_related("doctor__user", "doctor__department")
        .only(
            "next_visit_on",
            "doctor__user__first_name",
            "doctor__user__last_name",
            "doctor__department__name",
        )
        .order_by("-visit_date", "-created_at", "-id")
        .first()
    )


def walkin_patient_search(*, query: str, limit: int = 20) -> QuerySet[Patient]:
    """Any active patient matching ``query`` (``patients_matching``), for a doctor
    recording a walk-in visit.
    """
    if not query.strip():
        return Patient.objects.none()
    patients = Patient.objects.filter(user__is_active=True).select_related("user")
    return patients_matching(patients, query).order_by("user__last_name", "user__first_name", "id")[
        :limit
    ]


def patient_duplicates(
    *, phone: str, first_name: str, last_name: str, date_of_birth: date | None
) -> QuerySet[Patient]:
    """Patients who may be the one being registered: the same phone number
    (as stored, E.164), or the same name and date of birth. The desk is
    warned and may register anyway (twins, a shared family phone).
    """
    same = Q(pk__in=[])
    if phone:
        same |= Q(user__phone=phone)
    if date_of_birth and first_name.strip() and last_name.strip():
        same |= Q(
            user__first_name__iexact=first_name.strip(),
            user__last_name__iexact=last_name.strip(),
            date_of_birth=date_of_birth,
        )
    return (
        Patient.objects.filter(same)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "id")[:10]
    )
