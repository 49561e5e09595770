"""Visit histories: the patient's own, a doctor's patient's, any for admins."""

from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clinic.tests.factories import DoctorFactory, PatientFactory, TreatmentFactory

pytestmark = pytest.mark.django_db

MINE = reverse("clinic:history-mine")
# Session, user, groups, patient, count, the page of visits, their prescription lines.
QUERIES = 7


def _history(patient):
    return reverse("clinic:patient-history", args=[patient.pk])


def _visits(n, *, patient, doctor, first=date(2026, 1, 5)):
    """``n`` visits of ``patient``, one a week from ``first``, each with two lines."""
    two_lines = [
        {"medicine": "Paracetamol", "dosage": "500 mg", "frequency": "Thrice", "duration_days": 3},
        {"medicine": "Cetirizine", "dosage": "10 mg", "frequency": "Nightly", "duration_days": 5},
    ]
    treatments = []
    for k in range(n):
        with time_machine.travel(first + timedelta(weeks=k), tick=False):
            treatments.append(
                TreatmentFactory(
                    patient=patient, doctor=doctor, diagnosis=f"Visit {k}", items=two_lines
                )
            )
    return treatments


def test_it_shows_the_patient_their_visits_newest_first(patient_client, patient, doctor):
    _visits(2, patient=patient, doctor=doctor)

    response = patient_client.get(MINE)

    assert response.status_code == 200
    assert response.text.index("Visit 1") < response.text.index("Visit 0")
    assert "Cetirizine" in response.text
    assert "ICD-10 J06.9" in response.text
    assert str(doctor.department) in response.text


def test_it_pages_ten_visits_at_a_time(patient_client, patient, doctor):
    _visits(12, patient=patient, doctor=doctor)

    first = patient_client.get(MINE)
    second = patient_client.get(MINE, {"page": 2})

    assert first.text.count('class="card mb-3 visit"') == 10
    assert "Page 1 of 2" in first.text
    assert second.text.count('class="card mb-3 visit"') == 2
    assert "Visit 0" in second.text


@pytest.mark.parametrize("n", [2, 20])
def test_it_reads_the_history_in_a_fixed_number_of_queries(
    patient_client, patient, doctor, n, django_assert_max_num_queries
):
    _visits(n, patient=patient, doctor=doctor)

    with django_assert_max_num_queries(QUERIES):
        patient_client.get(MINE)


def test_it_uses_the_same_number_of_queries_for_2_and_20_visits(client, patient, doctor):
    client.force_login(doctor.user)
    client.get(_history(patient))  # the doctor is read once, then kept (accounts.person_cache)
    counts = []
    for n in (2, 18):
        _visits(n, patient=patient, doctor=doctor, first=date(2025, 1, 1) + timedelta(days=n))
        with CaptureQueriesContext(connection) as queries:
            client.get(_history(patient))
        counts.append(len(queries))

    assert counts[0] == counts[1]


def test_it_shows_a_doctor_the_full_history_of_their_patient(client, patient, doctor):
    colleague = DoctorFactory(last_name="Colleague")
    _visits(1, patient=patient, doctor=doctor)
    TreatmentFactory(patient=patient, doctor=colleague, diagnosis="Sprained ankle")
    client.force_login(doctor.user)

    response = client.get(_history(patient))

    assert "Visit 0" in response.text
    assert "Sprained ankle" in response.text


def test_it_gives_404_for_patients_that_are_not_theirs(client, patient_client, patient, doctor):
    stranger = PatientFactory()
    TreatmentFactory(patient=stranger, diagnosis="Private matter")
    client.force_login(doctor.user)

    assert client.get(_history(stranger)).status_code == 404
    assert patient_client.get(_history(stranger)).status_code == 404


def test_it_lets_a_patient_open_their_own_history_by_id(patient_client, patient):
    assert patient_client.get(_history(patient)).status_code == 200


def test_it_shows_admins_anyones_history(admin_client, patient):
    TreatmentFactory(patient=patient, diagnosis="Migraine")

    response = admin_client.get(_history(patient))

    assert "Migraine" in response.text


def test_it_keeps_my_history_for_patients(doctor_client):
    assert doctor_client.get(MINE).status_code == 403


def test_it_shows_an_empty_history(patient_client):
    assert "No visits recorded yet." in patient_client.get(MINE).text


def test_it_links_the_patient_nav_to_my_history(patient_client):
    response = patient_client.get(reverse("scheduling:patient-home"))

    assert f'href="{MINE}"' in response.text.split("</nav>")[0]
