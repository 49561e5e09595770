"""Both homes cost the same number of queries whatever the person's history."""

from datetime import timedelta

import pytest
from django.urls import reverse

from clinic.tests.factories import DoctorFactory, PatientFactory, TreatmentFactory
from scheduling.tests.factories import book, local, open_every_day, past_visit

pytestmark = pytest.mark.django_db

DOCTOR_HOME = reverse("scheduling:doctor-home")
PATIENT_HOME = reverse("scheduling:patient-home")
# Measured: the doctor home with the person, the week (with today and the
# waiting room), the figures and the patients; the patient home with upcoming, past
# (paginated), departments, follow-up, and the waitlist's offers and entries
# (one query each).
DOCTOR_HOME_QUERIES = 6
PATIENT_HOME_QUERIES = 11


def _doctor_history(doctor, numbers: range) -> None:
    """Patients booked this week and seen once before, one per number."""
    first = local("2026-12-01 10:00")
    for i in numbers:
        patient = PatientFactory()
        past_visit(
            patient,
            doctor,
            local("2026-11-02 09:00") + timedelta(days=i % 20, minutes=15 * (i // 20)),
        )
        book(patient, doctor, first + timedelta(days=i % 6, minutes=15 * (i // 6)))


def _patient_history(patient, numbers: range) -> None:
    """Doctors (one per number) with an upcoming visit, a past one and a record each."""
    for i in numbers:
        doctor = DoctorFactory()
        open_every_day(doctor, "08:00", "20:00")
        past_visit(patient, doctor, local("2026-11-02 09:00") + timedelta(days=i % 25))
        TreatmentFactory(patient=patient, doctor=doctor)
        book(patient, doctor, local("2026-12-02 09:00") + timedelta(minutes=15 * i))


def test_it_shows_the_doctor_home_in_a_bounded_number_of_queries(
    doctor_client, open_doctor, django_assert_max_num_queries, queries_of
):
    _doctor_history(open_doctor, range(2))
    doctor_client.get(DOCTOR_HOME)  # the first request of a session also saves it
    few = queries_of(doctor_client, DOCTOR_HOME)
    _doctor_history(open_doctor, range(2, 22))

    with django_assert_max_num_queries(DOCTOR_HOME_QUERIES):
        response = doctor_client.get(DOCTOR_HOME)

    # Not one more for ten times the rows (one fewer once the recent patients
    # fill the list without the walk-ins' query).
    assert queries_of(doctor_client, DOCTOR_HOME) <= few
    assert response.context["figures"].today > 2


def test_it_shows_the_patient_home_in_a_bounded_number_of_queries(
    patient_client, patient, clinic_now, django_assert_max_num_queries, queries_of
):
    _patient_history(patient, range(2))
    patient_client.get(PATIENT_HOME)  # the first request of a session also saves it
    few = queries_of(patient_client, PATIENT_HOME)
    _patient_history(patient, range(2, 17))

    with django_assert_max_num_queries(PATIENT_HOME_QUERIES):
        response = patient_client.get(PATIENT_HOME)

    assert queries_of(patient_client, PATIENT_HOME) == few
    assert len(response.context["upcoming"]) == 17
