"""Rules defined once and used everywhere: the bookable doctor, the follow-up
still to book, a doctor's name and a patient's number.
"""

from datetime import date

import pytest

from clinic.models import Doctor, doctor_name, patient_number
from clinic.tests.factories import DepartmentFactory, DoctorFactory, TreatmentFactory
from scheduling.selectors import follow_up_to_book
from scheduling.tests.factories import book, local, open_every_day

pytestmark = pytest.mark.django_db

DEC_4 = date(2026, 12, 4)


def test_it_agrees_on_who_is_bookable_row_by_row_and_in_bulk():
    bookable = DoctorFactory()
    not_accepting = DoctorFactory()
    not_accepting.is_accepting_patients = False
    not_accepting.save()
    disabled = DoctorFactory(disabled=True)
    closed = DoctorFactory(department=DepartmentFactory(is_active=False))

    assert list(Doctor.objects.bookable()) == [bookable]
    assert [d.is_bookable for d in (bookable, not_accepting, disabled, closed)] == [
        True,
        False,
        False,
        False,
    ]


def test_it_offers_the_follow_up_until_it_is_booked(patient, open_doctor, clinic_now):
    suggestion = TreatmentFactory(
        patient=patient, doctor=open_doctor, next_visit_on=date(2026, 12, 4)
    )

    assert follow_up_to_book(patient=patient) == suggestion

    book(patient, open_doctor, local("2026-12-04 10:00"))

    assert follow_up_to_book(patient=patient) is None


def test_it_still_offers_the_follow_up_when_booked_with_another_doctor(
    patient, open_doctor, clinic_now
):
    other = DoctorFactory()
    open_every_day(other)
    suggestion = TreatmentFactory(
        patient=patient, doctor=open_doctor, next_visit_on=date(2026, 12, 4)
    )
    book(patient, other, local("2026-12-04 10:00"))

    assert follow_up_to_book(patient=patient) == suggestion


def test_it_names_doctors_one_way():
    assert doctor_name("Asha", "Rao") == "Dr. Asha Rao"
    assert doctor_name("", "Rao") == "Dr. Rao"
    assert str(DoctorFactory(first_name="Asha", last_name="Rao")) == "Dr. Asha Rao"


@pytest.mark.parametrize(
    ("pk", "number"), [(1, "P000001"), (12, "P000012"), (999999, "P999999"), (1234567, "P1234567")]
)
def test_it_numbers_patients_one_way(pk, number):
    assert patient_number(pk) == number
