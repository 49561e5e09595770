"""The treating doctor amends a visit record for HMS_TREATMENT_AMEND_HOURS."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic.models import Treatment
from clinic.tests.factories import DoctorFactory, TreatmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def treatment(doctor, patient, clinic_today):
    return TreatmentFactory(doctor=doctor, patient=patient)


def _url(treatment):
    return reverse("clinic:treatment-amend", args=[treatment.pk])


def _post(**overrides):
    data = {
        "diagnosis": "Acute pharyngitis",
        "icd10_code": "J02.9",
        "notes": "Gargles.",
        "next_visit_on": "",
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "1",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "20",
        "items-0-medicine": "Paracetamol",
        "items-0-dosage": "650 mg",
        "items-0-frequency": "Twice a day",
        "items-0-duration_days": "3",
        "items-1-medicine": "Lozenges",
        "items-1-dosage": "1",
        "items-1-frequency": "Every 4 hours",
        "items-1-duration_days": "2",
    }
    return {**data, **overrides}


def test_it_shows_the_record_filled_in(client, doctor, treatment):
    client.force_login(doctor.user)

    response = client.get(_url(treatment))

    assert response.status_code == 200
    assert 'value="Paracetamol"' in response.text
    assert 'name="items-INITIAL_FORMS" value="1"' in response.text


def test_it_amends_within_the_window_and_keeps_who_and_when(
    client, doctor, treatment, clinic_today
):
    client.force_login(doctor.user)
    clinic_today.shift(timedelta(hours=23, minutes=59))

    response = client.post(_url(treatment), _post(), follow=True)

    treatment.refresh_from_db()
    assert treatment.diagnosis == "Acute pharyngitis"
    assert [(i.medicine, i.dosage) for i in treatment.items.all()] == [
        ("Paracetamol", "650 mg"),
        ("Lozenges", "1"),
    ]
    assert treatment.amended_by == doctor.user
    assert treatment.amended_at == timezone.make_aware(datetime(2026, 12, 2, 9, 59))
    assert "Visit record amended." in response.text
    assert "Amended 2 Dec 2026, 09:59" in response.text


def test_it_is_read_only_after_the_window(client, doctor, treatment, clinic_today):
    client.force_login(doctor.user)
    clinic_today.shift(timedelta(hours=24, minutes=1))

    detail = client.get(reverse("clinic:treatment-detail", args=[treatment.pk]))
    page = client.get(_url(treatment), follow=True)
    response = client.post(_url(treatment), _post(), follow=True)

    assert _url(treatment) not in detail.text
    assert "Visit records can be amended for 24 hours" in page.text
    assert "this one is now read-only" in response.text
    treatment.refresh_from_db()
    assert treatment.diagnosis == "Acute upper respiratory infection"
    assert treatment.amended_at is None


def test_it_reads_the_window_from_the_setting(client, doctor, treatment, clinic_today, settings):
    settings.HMS_TREATMENT_AMEND_HOURS = 2
    client.force_login(doctor.user)
    clinic_today.shift(timedelta(hours=3))

    client.post(_url(treatment), _post())

    assert Treatment.objects.get().amended_at is None


def test_it_lets_only_the_treating_doctor_amend(client, treatment):
    """Another doctor who can see the patient (a walk-in of their own) still may not."""
    other = DoctorFactory()
    TreatmentFactory(doctor=other, patient=treatment.patient)
    client.force_login(other.user)

    response = client.post(_url(treatment), _post(), follow=True)

    assert "Only the doctor who recorded this visit can amend it." in response.text
    treatment.refresh_from_db()
    assert treatment.amended_at is None


def test_it_gives_404_to_a_doctor_who_cannot_see_the_patient(client, treatment):
    client.force_login(DoctorFactory().user)

    assert client.get(_url(treatment)).status_code == 404


def test_it_shows_line_errors_and_keeps_the_old_record(client, doctor, treatment):
    client.force_login(doctor.user)

    response = client.post(_url(treatment), _post(**{"items-1-duration_days": "-2"}))

    assert response.status_code == 422
    assert "The duration must be at least one day." in response.text
    assert treatment.items.get().dosage == "500 mg"
