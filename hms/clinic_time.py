"""Clinic time: the one place that turns the clinic's calendar days into
aware datetimes and back.

Appointments are stored as aware datetimes (UTC in the database); people
think in days and wall-clock times of the clinic's own zone (``TIME_ZONE``,
set from ``HMS_TIME_ZONE``). A "day" is the half-open range from one local
midnight to the next, so a range query is ``start__gte=first,
start__lt=end`` and never misses the last minutes of the day.
"""

from datetime import date, datetime, time, timedelta, tzinfo

from django.utils import timezone


def clinic_zone() -> tzinfo:
    return timezone.get_default_timezone()


def clinic_date(moment: datetime) -> date:
    """The clinic's calendar day of the aware ``moment``."""
    return timezone.localdate(moment, clinic_zone())


def clinic_today(now: datetime | None = None) -> date:
    """The clinic's calendar day at ``now`` (default: this moment)."""
    return clinic_date(now or timezone.now())


def at_clinic_time(day: date, wall_clock: time) -> datetime:
    """``day`` at wall-clock ``wall_clock`` in the clinic's zone, as an aware datetime."""
    return datetime.combine(day, wall_clock).replace(tzinfo=clinic_zone())


def local_midnight(day: date) -> datetime:
    """The first moment of ``day`` in the clinic's zone."""
    return at_clinic_time(day, time.min)


def day_range(first: date, last: date | None = None) -> tuple[datetime, datetime]:
    """[start, end) of the local days ``first`` to ``last`` inclusive (one day by default)."""
    return local_midnight(first), local_midnight((last or first) + timedelta(days=1))


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """[start, end) of the month that contains ``month``, in the clinic's zone."""
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return local_midnight(first), local_midnight(following)
