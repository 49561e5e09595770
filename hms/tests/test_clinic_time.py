"""Clinic time: calendar days of the clinic's zone as aware datetime ranges."""

from datetime import UTC, date, datetime, time

import pytest

from hms.clinic_time import (
    at_clinic_time,
    clinic_date,
    clinic_today,
    day_range,
    local_midnight,
    month_bounds,
)


@pytest.fixture(autouse=True)
def _kolkata(settings):
    settings.TIME_ZONE = "Asia/Kolkata"  # UTC+05:30, no summer time


def test_it_puts_local_midnight_in_the_clinics_zone():
    assert local_midnight(date(2026, 12, 1)) == datetime(2026, 11, 30, 18, 30, tzinfo=UTC)


def test_it_gives_a_day_as_a_half_open_range():
    assert day_range(date(2026, 12, 1)) == (
        datetime(2026, 11, 30, 18, 30, tzinfo=UTC),
        datetime(2026, 12, 1, 18, 30, tzinfo=UTC),
    )


def test_it_gives_several_days_up_to_the_midnight_after_the_last():
    start, end = day_range(date(2026, 12, 30), date(2027, 1, 1))

    assert start == datetime(2026, 12, 29, 18, 30, tzinfo=UTC)
    assert end == datetime(2027, 1, 1, 18, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("month", "first", "following"),
    [
        (date(2026, 12, 31), date(2026, 12, 1), date(2027, 1, 1)),
        (date(2028, 2, 29), date(2028, 2, 1), date(2028, 3, 1)),
        (date(2026, 1, 1), date(2026, 1, 1), date(2026, 2, 1)),
    ],
)
def test_it_gives_a_months_bounds_across_year_ends_and_leap_days(month, first, following):
    assert month_bounds(month) == (local_midnight(first), local_midnight(following))


def test_it_tells_the_clinics_day_not_utcs():
    late_utc = datetime(2026, 12, 1, 19, 0, tzinfo=UTC)  # 00:30 on 2 Dec in Kolkata

    assert clinic_date(late_utc) == date(2026, 12, 2)
    assert clinic_today(late_utc) == date(2026, 12, 2)
    assert at_clinic_time(date(2026, 12, 2), time(0, 30)) == late_utc


def test_it_follows_summer_time_where_the_zone_has_it(settings):
    settings.TIME_ZONE = "Europe/London"

    assert day_range(date(2026, 7, 1))[0] == datetime(2026, 6, 30, 23, 0, tzinfo=UTC)
    assert day_range(date(2026, 12, 1))[0] == datetime(2026, 12, 1, 0, 0, tzinfo=UTC)
