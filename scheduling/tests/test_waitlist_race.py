"""The waitlist under concurrency, on a real PostgreSQL: one offer per slot and
per person, whatever runs at the same moment.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from clinic.tests.factories import DoctorFactory, PatientFactory
from scheduling import selectors, services, waitlist
from scheduling.models import Appointment, WaitlistEntry
from scheduling.tests.factories import open_every_day
from scheduling.tests.test_race import _race

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _setting_up(waiting: int):
    doctor = DoctorFactory()
    open_every_day(doctor)
    now = timezone.now()
    tomorrow = list(selectors.free_slots(doctor=doctor, now=now).values())[1]
    visits = [
        services.appointment_book(patient=PatientFactory(), doctor=doctor, start=s.start, now=now)
        for s in tomorrow[:2]
    ]
    day = timezone.localdate(tomorrow[0].start)
    people = [PatientFactory() for _ in range(waiting)]
    for person in people:
        waitlist.waitlist_join(
            patient=person, doctor=doctor, first_day=day, last_day=day, by=person.user
        )
    return visits, people


def test_it_offers_one_person_one_slot_when_two_visits_are_cancelled_at_once():
    visits, (person,) = _setting_up(waiting=1)

    _race(
        [lambda v=v: services.appointment_cancel(appointment=v, by=v.patient.user) for v in visits]
    )

    assert Appointment.objects.filter(status="cancelled").count() == 2
    (hold,) = Appointment.objects.filter(status=Appointment.Status.HELD)
    assert hold.patient == person
    assert WaitlistEntry.objects.get().offer == hold


def test_it_gives_two_slots_to_two_people_when_cancelled_at_once():
    visits, people = _setting_up(waiting=2)

    _race(
        [lambda v=v: services.appointment_cancel(appointment=v, by=v.patient.user) for v in visits]
    )

    holds = Appointment.objects.filter(status=Appointment.Status.HELD)
    assert sorted(h.patient_id for h in holds) == sorted(p.pk for p in people)
    assert len({h.start for h in holds}) == 2


def test_it_passes_an_expired_hold_on_once_when_two_workers_expire_it():
    visits, (first, second, third) = _setting_up(waiting=3)
    services.appointment_cancel(appointment=visits[0], by=visits[0].patient.user)
    later = timezone.now() + timedelta(minutes=31)

    outcomes = _race([lambda: waitlist.waitlist_holds_expire(now=later) for _ in range(2)])

    assert sorted(outcomes) == [0, 1]
    (hold,) = Appointment.objects.filter(status=Appointment.Status.HELD)
    assert hold.patient == second
    statuses = dict(WaitlistEntry.objects.values_list("patient_id", "status"))
    assert statuses == {first.pk: "expired", second.pk: "offered", third.pk: "waiting"}
