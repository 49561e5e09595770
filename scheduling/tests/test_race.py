"""The booking guarantee under concurrent requests, on a real PostgreSQL.

Each thread has its own database connection and transaction; a barrier
releases them together. The database constraints decide the winner.
"""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from clinic.tests.factories import DoctorFactory, PatientFactory
from scheduling import selectors, services
from scheduling.models import PATIENT_BUSY, SLOT_TAKEN, Appointment
from scheduling.tests.factories import open_every_day

# serialized_rollback: the flush after each test would drop the role groups.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

THREADS = 20


def _race(calls):
    """Run the callables at once, one thread and connection each; return outcomes."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        try:
            barrier.wait(timeout=30)
            return call()
        except ValidationError as exc:
            return exc
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def _tomorrow_first_slot(doctor, now):
    days = selectors.free_slots(doctor=doctor, now=now)
    return list(days.values())[1][0]


def test_it_books_one_slot_once_when_twenty_patients_race_for_it():
    doctor = DoctorFactory()
    open_every_day(doctor)
    patients = [PatientFactory() for _ in range(THREADS)]
    now = timezone.now()
    slot = _tomorrow_first_slot(doctor, now)

    outcomes = _race(
        [
            lambda p=p: services.appointment_book(
                patient=p, doctor=doctor, start=slot.start, now=now
            )
            for p in patients
        ]
    )

    booked = [o for o in outcomes if isinstance(o, Appointment)]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(booked) == 1
    assert len(refused) == THREADS - 1
    assert {m for exc in refused for m in exc.messages} == {SLOT_TAKEN}
    assert Appointment.objects.filter(doctor=doctor, start=slot.start).count() == 1


def test_it_books_one_patient_once_when_they_book_two_doctors_at_the_same_time():
    doctors = [DoctorFactory(), DoctorFactory()]
    for doctor in doctors:
        open_every_day(doctor)
    patient = PatientFactory()
    now = timezone.now()
    slot = _tomorrow_first_slot(doctors[0], now)

    outcomes = _race(
        [
            lambda d=d: services.appointment_book(
                patient=patient, doctor=d, start=slot.start, now=now
            )
            for d in doctors
        ]
    )

    assert sum(isinstance(o, Appointment) for o in outcomes) == 1
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert [exc.messages for exc in refused] == [[PATIENT_BUSY]]
    assert Appointment.objects.filter(patient=patient).count() == 1


def test_it_refuses_overlapping_rows_written_past_the_service():
    """The exclusion constraint itself, not only the service's checks."""
    from django.db import IntegrityError, transaction

    doctor = DoctorFactory()
    patients = [PatientFactory(), PatientFactory()]
    start = timezone.make_aware(datetime(2030, 1, 7, 9, 0))
    Appointment.objects.create(
        patient=patients[0], doctor=doctor, start=start, end=start + timezone.timedelta(minutes=30)
    )

    with pytest.raises(IntegrityError, match="doctor_no_overlap"), transaction.atomic():
        Appointment.objects.create(
            patient=patients[1],
            doctor=doctor,
            start=start + timezone.timedelta(minutes=15),
            end=start + timezone.timedelta(minutes=45),
        )
    # A cancelled appointment does not hold its time.
    Appointment.objects.filter(patient=patients[0]).update(status=Appointment.Status.CANCELLED)
    Appointment.objects.create(
        patient=patients[1],
        doctor=doctor,
        start=start + timezone.timedelta(minutes=15),
        end=start + timezone.timedelta(minutes=45),
    )


def test_it_gives_twenty_desks_checking_in_at_once_twenty_consecutive_tokens():
    """Twenty patients of one doctor checked in at the same moment (a desk each):
    no error, and the tokens are 1 to 20, each once.
    """
    from datetime import time, timedelta

    from accounts.tests.factories import ReceptionFactory
    from scheduling.tests.factories import past_visit

    doctor = DoctorFactory()
    desks = [ReceptionFactory() for _ in range(THREADS)]
    now = timezone.now()
    midnight = timezone.make_aware(datetime.combine(timezone.localdate(now), time.min))
    appointments = [
        past_visit(
            PatientFactory(),
            doctor,
            midnight + timedelta(minutes=doctor.consultation_minutes * n),
            status=Appointment.Status.BOOKED,
        )
        for n in range(THREADS)
    ]

    outcomes = _race(
        [
            lambda a=a, desk=desk: services.appointment_check_in(appointment=a, by=desk, now=now)
            for a, desk in zip(appointments, desks, strict=True)
        ]
    )

    assert [o for o in outcomes if not isinstance(o, Appointment)] == []
    tokens = Appointment.objects.filter(doctor=doctor).values_list("token", flat=True)
    assert sorted(tokens) == list(range(1, THREADS + 1))
    assert set(Appointment.objects.values_list("status", flat=True)) == {"arrived"}
