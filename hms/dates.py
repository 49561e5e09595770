"""Dates at the edge of the calendar. Imports no app.

Python's dates end at year 9999 and begin at year 1: a value typed near
either end overflows as soon as a day is added or it is moved to another
time zone. Plans (leave, a next visit) are refused beyond a horizon that no
clinic needs, so nothing downstream ever meets such a date.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from hms.clinic_time import clinic_date

# Django's own Hindi catalogue misspells these day and month names (सोम‌वार
# with a hidden joiner, गुरूवार, सितमबर, नवमबर, दिसमबर) and cuts the short
# months oddly ("2 दिस्"); ours comes first (LOCALE_PATHS), so marking them here
# lets it spell them as people write them (the short forms are CLDR's: दिस॰).
DJANGO_NAMES_RESPELLED = (
    gettext_noop("Monday"),
    gettext_noop("Thursday"),
    gettext_noop("September"),
    gettext_noop("November"),
    gettext_noop("December"),
    gettext_noop("Thu"),
    gettext_noop("jan"),
    gettext_noop("feb"),
    gettext_noop("mar"),
    gettext_noop("apr"),
    gettext_noop("may"),
    gettext_noop("jun"),
    gettext_noop("jul"),
    gettext_noop("aug"),
    gettext_noop("sep"),
    gettext_noop("oct"),
    gettext_noop("nov"),
    gettext_noop("dec"),
)


def planning_horizon(today: date) -> date:
    """The last day a plan (leave, changed hours, a next visit) may be set for."""
    return today + timedelta(days=settings.HMS_PLANNING_HORIZON_DAYS)


def beyond_horizon_message() -> str:
    return str(
        _("Choose a date within the next %(days)d days.")
        % {"days": settings.HMS_PLANNING_HORIZON_DAYS}
    )


def local_day_or_none(moment: datetime) -> date | None:
    """The clinic-local day of ``moment``, or None when that day, or the one
    after it, is outside the calendar (the first or last day of year 1 or 9999).
    """
    try:
        day = clinic_date(moment)
        day + timedelta(days=1)
        day - timedelta(days=1)
    except OverflowError:
        return None
    return day
