import pytest

from clinic.models import Department
from clinic.tests.factories import DepartmentFactory, DoctorFactory, PatientFactory
from scheduling.models import Appointment
from scheduling.tests.factories import book, local, open_every_day, past_visit


@pytest.fixture
def hospital(db, clinic_now):
    """A known month of a small hospital, at 08:00 on Tuesday 1 December 2026.

    Cardiology (Dr. Arora, Dr. Bose), Dermatology (Dr. Chopra), Neurology (no
    doctors) and a closed department; four patients and twelve appointments.
    The charts' 30 days run from Monday 2 November to today.
    """
    cardiology = DepartmentFactory(name="Cardiology")
    dermatology = DepartmentFactory(name="Dermatology")
    DepartmentFactory(name="Neurology")
    closed = DepartmentFactory(name="Closed wing")
    Department.objects.filter(pk=closed.pk).update(is_active=False)
    arora = DoctorFactory(first_name="Anil", last_name="Arora", department=cardiology)
    bose = DoctorFactory(first_name="Bina", last_name="Bose", department=cardiology)
    chopra = DoctorFactory(first_name="Chetan", last_name="Chopra", department=dermatology)
    p1, p2, p3, p4 = (PatientFactory() for _ in range(4))
    open_every_day(chopra)
    done, missed, off, booked = (
        Appointment.Status.COMPLETED,
        Appointment.Status.NO_SHOW,
        Appointment.Status.CANCELLED,
        Appointment.Status.BOOKED,
    )
    visits = [
        (arora, p1, "2026-11-01 23:50", done),  # the day before the 30 days
        (arora, p4, "2026-11-02 00:10", done),  # 1 November in UTC
        (arora, p3, "2026-11-29 10:00", missed),
        (arora, p1, "2026-11-30 09:00", done),
        (arora, p2, "2026-11-30 09:15", done),
        (bose, p1, "2026-11-30 11:00", done),
        (bose, p2, "2026-11-30 11:15", off),
        (chopra, p1, "2026-11-28 09:00", missed),
        (chopra, p2, "2026-11-28 09:30", done),
        (chopra, p4, "2026-12-01 23:45", booked),  # late today
        (bose, p3, "2026-12-02 00:15", booked),  # tomorrow here, still today in UTC
    ]
    for doctor, patient, start, status in visits:
        past_visit(patient, doctor, local(start), status)
    book(p3, chopra, local("2026-12-01 10:00"))
    return {"arora": arora, "bose": bose, "chopra": chopra, "cardiology": cardiology}
