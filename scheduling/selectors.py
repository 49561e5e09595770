"""Reads for scheduling: free slots and the appointment lists of each role.

Slots are never stored. They are computed from the doctor's weekly template,
the dated exceptions and the active appointments, in the clinic's time zone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, F, Max, Q, QuerySet
from django.utils import timezone, translation
from django.utils.crypto import get_random_string
from django.utils.http import urlencode

from accounts.models import User
from clinic.models import Department, Doctor, Patient, Treatment, doctor_name
from clinic.selectors import department_directory, next_visit_suggestion, patient_pk_from_number
from hms.clinic_time import (
    at_clinic_time,
    clinic_today,
    day_range,
    local_midnight,
    month_bounds,
)
from hms.dates import local_day_or_none
from scheduling.models import Appointment, AvailabilityException, WaitlistEntry, WeeklyAvailability


@dataclass(frozen=True)
class Slot:
    """One bookable consultation: [start, end) as aware datetimes."""

    start: datetime
    end: datetime

    @property
    def local_start(self) -> datetime:
        return timezone.localtime(self.start)

    @property
    def local_end(self) -> datetime:
        return timezone.localtime(self.end)

    @property
    def key(self) -> str:
        """The slot's start as sent by a booking form (ISO 8601, UTC)."""
        return self.start.astimezone(UTC).isoformat()


@dataclass(frozen=True)
class GridSlot(Slot):
    """A free slot as the booking page shows it: its clinic time and the link
    that picks it, worked out once when the doctor's grid is built.
    """

    label: str
    query: str


def day_blocks(
    day: date,
    weekly: Iterable[WeeklyAvailability],
    exceptions: Iterable[AvailabilityException],
) -> list[tuple[time, time]]:
    """The opening hours of one day, as (start, end) wall-clock times.

    Leave or a holiday closes the whole day. Changed hours replace the weekly
    blocks of that day. Otherwise the weekly blocks of its weekday apply.
    """
    todays = [e for e in exceptions if e.date == day]
    if any(e.is_all_day for e in todays):
        return []
    if todays:
        return sorted((e.start_time, e.end_time) for e in todays)
    return sorted((b.start_time, b.end_time) for b in weekly if b.weekday == day.weekday())


def booking_window(now: datetime | None = None) -> tuple[date, date]:
    """The first and last local day on which slots are offered."""
    today = clinic_today(now)
    return today, today + timedelta(days=settings.HMS_BOOKING_DAYS - 1)


def free_slots(
    *,
    doctor: Doctor,
    now: datetime | None = None,
    only_day: date | None = None,
    ignore_appointment_id: int | None = None,
    earliest: datetime | None = None,
) -> dict[date, list[Slot]]:
    """Free slots of ``doctor`` per local day, for the booking window.

    ``earliest`` replaces the booking lead time (a walk-in at the desk takes
    the slot under way if it is free).

    A slot is one consultation length; a block that does not divide evenly
    leaves its remainder unused. Slots are stepped in absolute time, so a
    block that spans a daylight-saving change has as many slots as it has
    real minutes. Slots that start sooner than the booking lead time, or
    that overlap an active appointment, are left out. Three queries.
    """
    now = now or timezone.now()
    first, last = booking_window(now)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    if only_day is not None:
        days = [d for d in days if d == only_day]
    if not days:
        return {}

    weekly = list(doctor.weekly_blocks.all())
    exceptions = list(doctor.exceptions.filter(date__range=(days[0], days[-1])))
    window_start, window_end = day_range(days[0], days[-1])
    taken_qs = Appointment.objects.active().filter(doctor=doctor)
    if ignore_appointment_id is not None:
        taken_qs = taken_qs.exclude(pk=ignore_appointment_id)
    taken = list(taken_qs.overlapping(window_start, window_end).values_list("start", "end"))

    if earliest is None:
        earliest = now + timedelta(minutes=settings.HMS_BOOKING_LEAD_MINUTES)
    return _open_slots(doctor, days, weekly, exceptions, taken, earliest=earliest)


def _open_slots(
    doctor: Doctor,
    days: list[date],
    weekly: list[WeeklyAvailability],
    exceptions: list[AvailabilityException],
    taken: list[tuple[datetime, datetime]],
    *,
    earliest: datetime | None,
) -> dict[date, list[Slot]]:
    length = timedelta(minutes=doctor.consultation_minutes)
    result: dict[date, list[Slot]] = {}
    for day in days:
        starts: set[datetime] = set()
        for block_start, block_end in day_blocks(day, weekly, exceptions):
            # Step in UTC: aware arithmetic in a local zone is wall-clock
            # arithmetic and would be wrong across a DST change.
            cursor = at_clinic_time(day, block_start).astimezone(UTC)
            block_end_utc = at_clinic_time(day, block_end).astimezone(UTC)
            while cursor + length <= block_end_utc:
                end = cursor + length
                if (earliest is None or cursor >= earliest) and not any(
                    s < end and e > cursor for s, e in taken
                ):
                    starts.add(cursor)
                cursor = end
        result[day] = [Slot(s, s + length) for s in sorted(starts)]
    return result


# The booking page's slot grid, cached per doctor. The grid is stored with
# the doctor's slot version; every booking, cancellation, reschedule, status
# change and availability change of the doctor sets a new version once it is
# committed (slots_changed), so a grid built before the change is never read
# after it. Booking itself never trusts the grid: it checks free_slots().


def _slots_version_key(doctor_id: int) -> str:
    return f"scheduling:slots:{doctor_id}:version"


def _slots_grid_key(doctor_id: int) -> str:
    return f"scheduling:slots:{doctor_id}:grid"


def _bump_slots_version(doctor_id: int) -> None:
    # A fresh random value, never a counter: a version that was evicted and
    # made again cannot come back to an old grid's number.
    cache.set(_slots_version_key(doctor_id), get_random_string(12), None)


def slots_changed(*, doctor_id: int) -> None:
    """The doctor's free slots may have changed: the cached grid is out of
    date once the current transaction commits (after it, so a page built
    in between from the old rows is not kept under the new version).
    """
    transaction.on_commit(lambda: _bump_slots_version(doctor_id))


def _as_grid(days: dict[date, list[Slot]]) -> dict[date, list[GridSlot]]:
    grid = {}
    for day, slots in days.items():
        iso = day.isoformat()
        grid[day] = [
            GridSlot(
                slot.start,
                slot.end,
                label=f"{slot.local_start:%H:%M}",
                query=urlencode({"day": iso, "start": slot.key}),
            )
            for slot in slots
        ]
    return grid


def slot_grid(
    *, doctor: Doctor, now: datetime | None = None, ignore_appointment_id: int | None = None
) -> dict[date, list[GridSlot]]:
    """``doctor``'s free slots per local day for the booking page, each with its
    label and link. Read from the cache (one round trip) while the doctor's
    slots are unchanged; the lead time is applied at each read. Moving an
    appointment (``ignore_appointment_id``) is never cached.
    """
    now = now or timezone.now()
    if ignore_appointment_id is not None:
        return _as_grid(
            free_slots(doctor=doctor, now=now, ignore_appointment_id=ignore_appointment_id)
        )
    first, last = booking_window(now)
    version_key, grid_key = _slots_version_key(doctor.pk), _slots_grid_key(doctor.pk)
    found = cache.get_many([version_key, grid_key])
    version = found.get(version_key)
    if version is None:
        # First read (or the version was evicted): start one before reading
        # the rows, so a change committed meanwhile still sets a newer one.
        # With the cache down nothing is kept and every read builds the grid.
        cache.add(version_key, get_random_string(12), None)
        version = cache.get(version_key)
    # What the grid was built for: any difference means build it again.
    stamp = (version, first, last, doctor.consultation_minutes)
    kept = found.get(grid_key)
    if version is not None and kept is not None and kept[0] == stamp:
        grid = kept[1]
    else:
        days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        weekly = list(doctor.weekly_blocks.all())
        exceptions = list(doctor.exceptions.filter(date__range=(first, last)))
        taken = list(
            Appointment.objects.active()
            .filter(doctor=doctor)
            .overlapping(*day_range(first, last))
            .values_list("start", "end")
        )
        grid = _as_grid(_open_slots(doctor, days, weekly, exceptions, taken, earliest=None))
        if version is not None:
            cache.set(grid_key, (stamp, grid), settings.HMS_SLOT_CACHE_SECONDS)
    earliest = now + timedelta(minutes=settings.HMS_BOOKING_LEAD_MINUTES)
    return {day: [s for s in slots if s.start >= earliest] for day, slots in grid.items()}


def find_free_slot(
    *,
    doctor: Doctor,
    start: datetime,
    now: datetime | None = None,
    ignore_appointment_id: int | None = None,
) -> Slot | None:
    """The free slot of ``doctor`` that starts exactly at ``start``, if any."""
    day = local_day_or_none(start)
    if day is None:
        return None
    slots = free_slots(
        doctor=doctor, now=now, only_day=day, ignore_appointment_id=ignore_appointment_id
    )
    return next((s for s in slots.get(day, []) if s.start == start), None)


def next_free_slot(
    *, doctors: Iterable[Doctor], now: datetime | None = None
) -> tuple[Doctor, Slot] | None:
    """The earliest free slot in the booking window across ``doctors`` (a
    department's, say) and whose it is; ties go to the first doctor given.
    Read from each doctor's cached slot grid (``slot_grid``: the slots the
    booking page offers, no query while it is warm; three queries a doctor
    to build it), so meant for one department. Booking re-checks the slot.
    """
    now = now or timezone.now()
    best: tuple[Doctor, Slot] | None = None
    for doctor in doctors:
        days = slot_grid(doctor=doctor, now=now)
        first = next((slots[0] for slots in days.values() if slots), None)
        if first is not None and (best is None or first.start < best[1].start):
            best = (doctor, first)
    return best


def bookable_doctors() -> QuerySet[Doctor]:
    """Doctors a patient can book: listed and accepting new bookings."""
    return Doctor.objects.bookable().select_related("user", "department")


def follow_up_to_book(
    *,
    patient: Patient,
    now: datetime | None = None,
    upcoming: Iterable[Appointment] | None = None,
) -> Treatment | None:
    """The follow-up a doctor suggested that the patient still has to book: the
    latest suggestion for today or later, unless the patient already has an
    upcoming appointment with that doctor. One or two queries; one when the
    patient's ``upcoming`` appointments (``patient_upcoming``) are given.
    """
    now = now or timezone.now()
    follow_up = next_visit_suggestion(patient=patient, today=clinic_today(now))
    if follow_up is None:
        return None
    if upcoming is not None:
        booked = any(
            a.doctor_id == follow_up.doctor_id
            and a.status in Appointment.OPEN_STATUSES
            and a.end > now
            for a in upcoming
        )
        return None if booked else follow_up
    booked = _upcoming(patient=patient, now=now).filter(doctor_id=follow_up.doctor_id)
    return None if booked.exists() else follow_up


def bookable_departments() -> list[dict]:
    """The open departments with at least one bookable doctor, from the cached
    directory (no query while it is warm).
    """
    return [d for d in department_directory() if d["bookable_count"]]


def appointments_for(user) -> QuerySet[Appointment]:
    return Appointment.objects.visible_to(user).with_people().select_related("booked_by")


def _upcoming(*, patient: Patient, now: datetime) -> QuerySet[Appointment]:
    return Appointment.objects.filter(
        patient=patient, status__in=Appointment.OPEN_STATUSES, end__gt=now
    )


def _still_to_come(now: datetime) -> Q:
    """``patient_upcoming``'s rows: booked, checked in or cancelled, not over yet."""
    statuses = (*Appointment.OPEN_STATUSES, Appointment.Status.CANCELLED)
    return Q(status__in=statuses, end__gt=now)


def _open_offer(now: datetime) -> Q:
    """``patient_offers``' rows: a slot held for the patient, its hold not expired."""
    return Q(status=Appointment.Status.HELD, hold_expires_at__gt=now)


def patient_upcoming(*, patient: Patient, now: datetime | None = None) -> list[Appointment]:
    """The patient's appointments still to come, soonest first: booked or
    checked in, and those cancelled (marked so, not hidden among the past).
    Each carries ``patient`` itself (no join for the viewer's own record).
    """
    now = now or timezone.now()
    upcoming = list(
        Appointment.objects.filter(_still_to_come(now), patient=patient)
        .with_doctors()
        .order_by("start")
    )
    for appointment in upcoming:
        appointment.patient = patient
    return upcoming


def patient_upcoming_and_offers(
    *, patient: Patient, now: datetime | None = None
) -> tuple[list[Appointment], list[Appointment]]:
    """``patient_upcoming`` and ``patient_offers`` in one query (the patient's
    home): only the columns the home shows and its rules read, with the
    doctor's name and department.
    """
    now = now or timezone.now()
    rows = list(
        Appointment.objects.filter(patient=patient)
        .filter(_still_to_come(now) | _open_offer(now))
        .with_doctors()
        .only(
            "patient_id",
            "start",
            "end",
            "status",
            "token",
            "called_at",
            "hold_expires_at",
            "doctor__user__first_name",
            "doctor__user__last_name",
            "doctor__department__name",
        )
        .order_by("start")
    )
    for appointment in rows:
        appointment.patient = patient
    held = Appointment.Status.HELD
    return [a for a in rows if a.status != held], [a for a in rows if a.status == held]


def patient_offers(*, patient: Patient, now: datetime | None = None) -> QuerySet[Appointment]:
    """Slots held for the patient from the waitlist, still open."""
    return (
        Appointment.objects.filter(_open_offer(now or timezone.now()), patient=patient)
        .with_people()
        .order_by("start")
    )


def patient_waitlist(*, patient: Patient) -> list[dict]:
    """The patient's waiting entries, soonest first, as plain rows: ``doctor``
    (the name), ``first_day`` and ``last_day``.
    """
    rows = (
        WaitlistEntry.objects.filter(patient=patient, status=WaitlistEntry.Status.WAITING)
        .order_by("first_day")
        .values("first_day", "last_day", "doctor__user__first_name", "doctor__user__last_name")
    )
    return [
        {
            "doctor": doctor_name(row["doctor__user__first_name"], row["doctor__user__last_name"]),
            "first_day": row["first_day"],
            "last_day": row["last_day"],
        }
        for row in rows
    ]


def patient_past(*, patient: Patient, now: datetime | None = None) -> QuerySet[dict]:
    """Visits that are over, newest first; a cancelled visit still ahead is
    listed with the upcoming ones (marked Cancelled), not here. Plain rows of
    what the patient's home prints (``display.patient_past``).
    """
    now = now or timezone.now()
    over = [Appointment.Status.COMPLETED, Appointment.Status.NO_SHOW]
    return (
        Appointment.objects.filter(patient=patient)
        .filter(Q(status__in=over) | Q(end__lte=now))
        .exclude(status=Appointment.Status.HELD)
        .order_by("-start")
        .values(
            "pk", "start", "status", "token", "doctor__user__first_name", "doctor__user__last_name"
        )
    )


def doctor_between(*, doctor: Doctor, first: date, last: date) -> QuerySet[Appointment]:
    """The doctor's appointments from local day ``first`` to ``last`` inclusive."""
    start, end = day_range(first, last)
    return (
        Appointment.objects.filter(doctor=doctor, start__gte=start, start__lt=end)
        .with_people()
        .order_by("start")
    )


def doctor_schedule(*, doctor: Doctor, first: date, last: date) -> list[Appointment]:
    """As ``doctor_between`` for the doctor's own pages: only the patients are
    joined (no password hash), and each appointment gets ``doctor`` itself
    instead of three more joined rows per appointment.
    """
    start, end = day_range(first, last)
    rows = list(
        Appointment.objects.filter(doctor=doctor, start__gte=start, start__lt=end)
        .select_related("patient__user")
        .defer("patient__user__password")
        .order_by("start")
    )
    for appointment in rows:
        appointment.doctor = doctor
    return rows


# What the doctor's home reads of each appointment: enough to print the week,
# and for today's table and the waiting room to ask appointment_actions().
_HOME_FIELDS = (
    "id",
    "start",
    "end",
    "status",
    "token",
    "reason",
    "patient_id",
    "is_walk_in",
    "queue_day",
    "arrived_at",
    "called_at",
)
# from_db() takes the values in the model's column order.
_HOME_COLUMNS = [f.attname for f in Appointment._meta.concrete_fields if f.attname in _HOME_FIELDS]


def doctor_week_rows(
    *, doctor: Doctor, first: date, last: date, queue_day: date | None = None
) -> list[dict]:
    """The doctor's appointments from local day ``first`` to ``last`` as plain
    dicts (``pk``, ``start``, ``status``, ``token``, the patient's ``first_name``
    and ``last_name``, and the columns ``appointments_from_rows`` needs), by
    start: a list to print, ten times cheaper than five model objects per row.

    With ``queue_day``, also the patients checked in that day (as ``queue()``)
    whenever their visit starts, so the waiting room comes in the same query.
    """
    start, end = day_range(first, last)
    in_week = Q(start__gte=start, start__lt=end)
    if queue_day is not None:
        in_week |= Q(queue_day=queue_day, status=Appointment.Status.ARRIVED)
    return list(
        Appointment.objects.filter(in_week, doctor=doctor)
        .order_by("start", "id")
        .values(
            *_HOME_FIELDS,
            pk=F("id"),
            user_id=F("patient__user_id"),
            first_name=F("patient__user__first_name"),
            last_name=F("patient__user__last_name"),
        )
    )


def appointments_from_rows(rows: Iterable[dict], *, doctor: Doctor) -> list[Appointment]:
    """``doctor_week_rows`` rows as appointments, without another query: each
    with ``doctor`` and its patient's name, the columns not read deferred (as
    ``only()`` gives them), for ``with_actions`` and the templates.
    """
    db = Appointment.objects.db
    appointments = []
    for row in rows:
        appointment = Appointment.from_db(db, _HOME_COLUMNS, [row[f] for f in _HOME_COLUMNS])
        user = User.from_db(
            db,
            ("id", "first_name", "last_name"),
            (row["user_id"], row["first_name"], row["last_name"]),
        )
        patient = Patient.from_db(db, ("id", "user_id"), (row["patient_id"], row["user_id"]))
        patient.user = user
        appointment.patient, appointment.doctor = patient, doctor
        appointments.append(appointment)
    return appointments


@dataclass(frozen=True)
class DoctorWeek:
    """The doctor's home in one query: ``rows``, the week's appointments to
    print (``doctor_week_rows``); ``today``, today's as appointments, by start;
    ``waiting_room``, the patients checked in today (as ``queue()``), by token.
    """

    rows: list[dict]
    today: list[Appointment]
    waiting_room: list[Appointment]


def doctor_week(*, doctor: Doctor, today: date) -> DoctorWeek:
    """The week (Monday to Sunday) around local day ``today`` of ``doctor``."""
    first = today - timedelta(days=today.weekday())
    rows = doctor_week_rows(doctor=doctor, first=first, last=first + timedelta(6), queue_day=today)
    week_start, week_end = day_range(first, first + timedelta(6))
    day_start, day_end = day_range(today)
    appointments = appointments_from_rows(
        [r for r in rows if day_start <= r["start"] < day_end or r["queue_day"] == today],
        doctor=doctor,
    )
    return DoctorWeek(
        rows=[r for r in rows if week_start <= r["start"] < week_end],
        today=[a for a in appointments if day_start <= a.start < day_end],
        waiting_room=sorted(
            (
                a
                for a in appointments
                if a.queue_day == today and a.status == Appointment.Status.ARRIVED
            ),
            key=lambda a: a.token,
        ),
    )


def doctor_day_appointments(*, day: date) -> QuerySet[Appointment]:
    """Every doctor's appointments that start on local day ``day``."""
    start, end = day_range(day)
    return Appointment.objects.filter(start__gte=start, start__lt=end).order_by("start")


def doctor_patients(*, doctor: Doctor, limit: int = 20) -> list[Patient]:
    """The doctor's ``limit`` most recent patients: those who have (had) an
    appointment with them, latest visit first, then those the doctor saw only
    as walk-ins. Each carries ``visits`` and ``last_visit`` (None for walk-ins).

    Driven by the doctor's own appointments (a top-N group-by on the doctor's
    index), so the cost follows the doctor's patients, not the size of the
    hospital. Three queries at most.
    """
    seen = (
        Appointment.objects.filter(doctor=doctor)
        .order_by()
        .values("patient")
        .annotate(visits=Count("id"), last_visit=Max("start"))
        .order_by("-last_visit", "patient")[:limit]
    )
    stats = {row["patient"]: row for row in seen}
    people = Patient.objects.select_related("user").only("user__first_name", "user__last_name")
    by_id = people.order_by().in_bulk(list(stats))
    patients = []
    for patient_id, row in stats.items():
        patient = by_id[patient_id]
        patient.visits, patient.last_visit = row["visits"], row["last_visit"]
        patients.append(patient)
    if len(patients) < limit:
        booked = Appointment.objects.filter(doctor=doctor).values("patient")
        walk_ins = (
            people.filter(treatments__doctor=doctor)
            .exclude(pk__in=booked)
            .distinct()
            .order_by("user__last_name", "id")[: limit - len(patients)]
        )
        for patient in walk_ins:
            patient.visits, patient.last_visit = 0, None
            patients.append(patient)
    return patients


def appointment_search(
    *,
    user,
    query: str = "",
    doctor: Doctor | None = None,
    department=None,
    status: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[Appointment]:
    """The appointments list with its filters, newest first."""
    qs = appointments_for(user)
    if query := query.strip():
        by_person = (
            Q(patient__user__first_name__icontains=query)
            | Q(patient__user__last_name__icontains=query)
            | Q(patient__user__email__icontains=query)
        )
        if (pk := patient_pk_from_number(query)) is not None:
            by_person |= Q(patient__pk=pk)
        qs = qs.filter(by_person)
    if doctor is not None:
        qs = qs.filter(doctor=doctor)
    if department is not None:
        qs = qs.filter(doctor__department=department)
    if status:
        qs = qs.filter(status=status)
    if date_from is not None:
        qs = qs.filter(start__gte=local_midnight(date_from))
    if date_to is not None:
        qs = qs.filter(start__lt=day_range(date_to)[1])
    return qs.order_by("-start", "-id")


@dataclass(frozen=True)
class DoctorFigures:
    """The numbers at the top of a doctor's home."""

    today: int
    month_completed: int
    next_appointment: Appointment | None


def doctor_figures(
    *, doctor: Doctor, now: datetime | None = None, week: list[dict] | None = None
) -> DoctorFigures:
    """Today's appointments (cancellations not counted), this month's completed
    visits (local calendar month) and the next booked appointment from now.
    Two queries; one when ``week`` (``doctor_week_rows`` of the week around
    now) holds the next booked appointment, which is then the first of them.
    """
    now = now or timezone.now()
    today_start, today_end = day_range(clinic_today(now))
    month_start, month_end = month_bounds(clinic_today(now))
    # Today is in this month: the doctor's index on (doctor, start) reads only the month.
    counts = Appointment.objects.filter(
        doctor=doctor, start__gte=month_start, start__lt=month_end
    ).aggregate(
        today=Count(
            "id",
            filter=Q(
                start__gte=today_start,
                start__lt=today_end,
            )
            & ~Q(status=Appointment.Status.CANCELLED),
        ),
        month_completed=Count("id", filter=Q(status=Appointment.Status.COMPLETED)),
    )
    booked = [
        row
        for row in week or ()
        if row["status"] == Appointment.Status.BOOKED and row["start"] >= now
    ]
    if booked:
        next_appointment = appointments_from_rows(booked[:1], doctor=doctor)[0]
    else:
        next_appointment = (
            Appointment.objects.filter(
                doctor=doctor, status=Appointment.Status.BOOKED, start__gte=now
            )
            .select_related("patient__user")
            .only(
                "start",
                "patient__user__first_name",
                "patient__user__last_name",
            )
            .order_by("start", "id")
            .first()
        )
    return DoctorFigures(
        today=counts["today"],
        month_completed=counts["month_completed"],
        next_appointment=next_appointment,
    )


# The front desk and the queue


def with_actions(appointments: Iterable[Appointment], *, user, now: datetime | None = None):
    """The appointments as a list, each with ``.actions``: what ``user`` may do
    with it now (``Appointment.appointment_actions``), for the templates to ask.

    Only the answers are kept, never the refusals' sentences, so they are
    asked untranslated (each refusal is a sentence per row to translate, and
    in English every one misses the catalogue through all its fallbacks).
    """
    now = now or timezone.now()
    rows = list(appointments)
    with translation.override(None):
        for appointment in rows:
            appointment.actions = appointment.appointment_actions(user, now)
    return rows


def desk_day(
    *,
    user,
    day: date,
    department: Department | None = None,
    doctor: Doctor | None = None,
) -> QuerySet[Appointment]:
    """Every appointment of ``day`` that ``user`` may see (the front desk: all of
    them), optionally of one department or doctor, by start time then doctor.
    """
    first, end = day_range(day)
    appointments = (
        Appointment.objects.visible_to(user).filter(start__gte=first, start__lt=end).with_people()
    )
    if department is not None:
        appointments = appointments.filter(doctor__department=department)
    if doctor is not None:
        appointments = appointments.filter(doctor=doctor)
    return appointments.order_by("start", "doctor__user__last_name", "id")


def queue(*, doctors, day: date) -> QuerySet[Appointment]:
    """The checked-in patients of ``doctors`` on ``day``, in token order: the
    one being seen (called, not yet completed) and those waiting.
    """
    return (
        Appointment.objects.filter(
            doctor__in=doctors, queue_day=day, status=Appointment.Status.ARRIVED
        )
        .with_people()
        .order_by("doctor_id", "token")
    )


@dataclass(frozen=True)
class QueueBoard:
    """One doctor's line on the waiting-room screen: tokens only, no names."""

    doctor_name: str
    room: str
    now_seeing: int | None
    next_tokens: list[int]


def queue_board(*, display, day: date, upcoming: int = 5) -> list[QueueBoard]:
    """What a waiting-room screen shows for each of its doctors: the token being
    seen and the next ``upcoming`` tokens. Two queries, whatever the queue.
    """
    doctors = Doctor.objects.listed().select_related("user", "department")
    if display.doctor_id:
        doctors = doctors.filter(pk=display.doctor_id)
    else:
        doctors = doctors.filter(department_id=display.department_id)
    doctors = list(doctors.order_by("user__last_name", "user__first_name", "id"))
    rows = Appointment.objects.filter(
        doctor__in=doctors, queue_day=day, status=Appointment.Status.ARRIVED
    ).values_list("doctor_id", "token", "called_at")
    seeing: dict[int, tuple] = {}
    waiting: dict[int, list[int]] = {}
    for doctor_id, token, called_at in rows:
        if called_at is not None:
            if doctor_id not in seeing or called_at > seeing[doctor_id][1]:
                seeing[doctor_id] = (token, called_at)
        else:
            waiting.setdefault(doctor_id, []).append(token)
    return [
        QueueBoard(
            doctor_name=str(doctor),
            room=doctor.department.name,
            now_seeing=seeing.get(doctor.pk, (None,))[0],
            next_tokens=sorted(waiting.get(doctor.pk, []))[:upcoming],
        )
        for doctor in doctors
    ]
