"""The slot generator: weekly hours, exceptions, lead time, taken slots, DST."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.utils import timezone

from scheduling import selectors, services
from scheduling.models import Appointment, AvailabilityException
from scheduling.tests.factories import book, local, past_visit

pytestmark = pytest.mark.django_db

TUESDAY = date(2026, 12, 1)


def _times(slots):
    return [s.local_start.strftime("%H:%M") for s in slots]


def _block(doctor, weekday, start, end):
    services.weekly_block_add(
        doctor=doctor,
        weekday=weekday,
        start_time=time.fromisoformat(start),
        end_time=time.fromisoformat(end),
    )


def test_it_offers_slots_of_the_consultation_length_for_the_next_fourteen_days(open_doctor):
    days = selectors.free_slots(doctor=open_doctor)

    assert list(days) == [TUESDAY + timedelta(days=n) for n in range(14)]
    assert all(len(slots) == 16 for slots in days.values())
    assert _times(days[TUESDAY])[:3] == ["09:00", "09:15", "09:30"]
    assert _times(days[TUESDAY])[-1] == "12:45"
    first = days[TUESDAY][0]
    assert first.end - first.start == timedelta(minutes=15)


def test_it_drops_the_remainder_of_a_block_that_does_not_divide(doctor, clinic_now):
    _block(doctor, TUESDAY.weekday(), "09:00", "09:50")

    slots = selectors.free_slots(doctor=doctor)[TUESDAY]

    assert _times(slots) == ["09:00", "09:15", "09:30"]


def test_it_joins_several_blocks_of_a_day_and_leaves_out_other_weekdays(doctor, clinic_now):
    _block(doctor, TUESDAY.weekday(), "09:00", "09:30")
    _block(doctor, TUESDAY.weekday(), "17:00", "17:30")

    days = selectors.free_slots(doctor=doctor)

    assert _times(days[TUESDAY]) == ["09:00", "09:15", "17:00", "17:15"]
    assert days[TUESDAY + timedelta(days=1)] == []


def test_it_leaves_out_slots_sooner_than_the_lead_time(open_doctor, clinic_now, settings):
    clinic_now.move_to(local("2026-12-01 10:10"))

    slots = selectors.free_slots(doctor=open_doctor)[TUESDAY]

    # 60 minutes of lead time: the first bookable start is 11:10, so 11:15.
    assert _times(slots)[0] == "11:15"
    settings.HMS_BOOKING_LEAD_MINUTES = 0
    assert _times(selectors.free_slots(doctor=open_doctor)[TUESDAY])[0] == "10:15"


def test_it_closes_a_day_of_leave_or_holiday(open_doctor):
    services.exception_add(doctor=open_doctor, date=TUESDAY, kind="leave")
    services.exception_add(
        doctor=open_doctor,
        date=TUESDAY + timedelta(days=1),
        kind=AvailabilityException.Kind.HOLIDAY,
    )

    days = selectors.free_slots(doctor=open_doctor)

    assert days[TUESDAY] == []
    assert days[TUESDAY + timedelta(days=1)] == []
    assert len(days[TUESDAY + timedelta(days=2)]) == 16


def test_it_replaces_the_week_with_changed_hours(open_doctor):
    services.exception_add(
        doctor=open_doctor,
        date=TUESDAY,
        kind="changed_hours",
        start_time=time(14, 0),
        end_time=time(14, 45),
    )

    assert _times(selectors.free_slots(doctor=open_doctor)[TUESDAY]) == [
        "14:00",
        "14:15",
        "14:30",
    ]


def test_it_leaves_out_taken_slots_and_gives_back_cancelled_ones(open_doctor, patient):
    appointment = book(patient, open_doctor, local("2026-12-01 11:15"))

    assert "11:15" not in _times(selectors.free_slots(doctor=open_doctor)[TUESDAY])

    services.appointment_cancel(appointment=appointment, by=patient.user)

    assert "11:15" in _times(selectors.free_slots(doctor=open_doctor)[TUESDAY])


def test_it_leaves_out_slots_overlapping_a_longer_appointment(open_doctor, patient):
    # An appointment from the doctor's earlier 30-minute slots still blocks both halves.
    open_doctor.consultation_minutes = 30
    open_doctor.save()
    book(patient, open_doctor, local("2026-12-02 09:00"))
    open_doctor.consultation_minutes = 15
    open_doctor.save()

    slots = _times(selectors.free_slots(doctor=open_doctor)[TUESDAY + timedelta(days=1)])

    assert slots[:2] == ["09:30", "09:45"]


def test_it_counts_completed_visits_as_taken_but_not_no_shows(open_doctor, patient, clinic_now):
    clinic_now.move_to(local("2026-12-01 06:00"))
    past_visit(patient, open_doctor, local("2026-12-01 09:00"), Appointment.Status.COMPLETED)
    past_visit(patient, open_doctor, local("2026-12-01 09:30"), Appointment.Status.NO_SHOW)

    times = _times(selectors.free_slots(doctor=open_doctor)[TUESDAY])

    assert "09:00" not in times
    assert "09:30" in times


def test_it_uses_three_queries_for_a_week(open_doctor, django_assert_num_queries):
    with django_assert_num_queries(3):
        selectors.free_slots(doctor=open_doctor)


@pytest.mark.parametrize("zone", ["America/New_York"])
def test_it_steps_slots_in_real_time_across_a_dst_change(doctor, settings, zone):
    settings.TIME_ZONE = zone
    # New York springs forward at 02:00 on Sunday 8 March 2026: 02:00-03:00 does not exist.
    sunday = date(2026, 3, 8)
    doctor.consultation_minutes = 60
    doctor.save()
    _block(doctor, sunday.weekday(), "00:00", "04:00")
    _block(doctor, 0, "09:00", "10:00")
    now = datetime(2026, 3, 7, 12, 0, tzinfo=UTC)

    days = selectors.free_slots(doctor=doctor, now=now)

    # Four wall-clock hours are three real hours that night.
    assert _times(days[sunday]) == ["00:00", "01:00", "03:00"]
    assert [s.end - s.start for s in days[sunday]] == [timedelta(hours=1)] * 3
    monday = days[date(2026, 3, 9)][0]
    assert monday.local_start.strftime("%H:%M %Z") == "09:00 EDT"
    assert monday.start == datetime(2026, 3, 9, 13, 0, tzinfo=UTC)
    assert timezone.localtime(days[sunday][0].start).tzname() == "EST"
