"""The printable prescription and the visit record page, for each role."""

from datetime import date

import pytest
from django.urls import reverse

from clinic.tests.factories import DoctorFactory, PatientFactory, TreatmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def treatment(doctor, patient, clinic_today):
    return TreatmentFactory(
        doctor=doctor,
        patient=patient,
        next_visit_on=date(2026, 12, 15),
        items=[
            {"medicine": "Paracetamol", "dosage": "500 mg", "frequency": "Thrice",
             "duration_days": 3},
            {"medicine": "Cetirizine", "dosage": "10 mg", "frequency": "Nightly",
             "duration_days": 5, "instructions": "May cause drowsiness"},
        ],
    )  # fmt: skip


def _print(treatment):
    return reverse("clinic:prescription-print", args=[treatment.pk])


def _detail(treatment):
    return reverse("clinic:treatment-detail", args=[treatment.pk])


def test_it_prints_everything_a_pharmacy_needs(patient_client, treatment, settings):
    response = patient_client.get(_print(treatment))

    text = response.text
    assert response.status_code == 200
    for expected in [
        settings.HMS_CLINIC_NAME,
        str(treatment.doctor),
        treatment.doctor.department.name,
        str(treatment.patient),
        treatment.patient.patient_number,
        "1 December 2026",
        "Acute upper respiratory infection",
        "(ICD-10 J06.9)",
        "Paracetamol",
        "May cause drowsiness",
        "Tuesday 15 December 2026",
        "Signature and stamp",
    ]:
        assert expected in text, expected
    assert 'class="d-flex justify-content-end gap-2 mb-3 no-print"' in text


@pytest.mark.parametrize("client_fixture", ["patient_client", "doctor_client", "admin_client"])
def test_it_opens_for_the_patient_the_doctor_and_admins(request, treatment, client_fixture):
    client = request.getfixturevalue(client_fixture)

    assert client.get(_print(treatment)).status_code == 200
    assert "Paracetamol" in client.get(_detail(treatment)).text


def test_it_opens_for_another_doctor_of_the_patient(client, treatment):
    colleague = DoctorFactory()
    TreatmentFactory(doctor=colleague, patient=treatment.patient)
    client.force_login(colleague.user)

    assert client.get(_print(treatment)).status_code == 200


@pytest.mark.parametrize("url", [_print, _detail])
def test_it_gives_404_to_other_people(client, treatment, url):
    for person in (PatientFactory().user, DoctorFactory().user):
        client.force_login(person)
        assert client.get(url(treatment)).status_code == 404


def test_it_sends_anonymous_people_to_sign_in(client, treatment):
    response = client.get(_print(treatment))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_it_prints_age_sex_registration_number_and_the_clinic_address(
    patient_client, treatment, settings
):
    settings.HMS_CLINIC_ADDRESS = "12 MG Road, Bengaluru"
    settings.HMS_CLINIC_PHONE = "+91 80 2222 3333"
    patient = treatment.patient
    patient.date_of_birth = date(1990, 12, 2)  # 36 tomorrow: 35 on the visit day
    patient.gender = "female"
    patient.save()
    treatment.doctor.registration_number = "KMC 45123"
    treatment.doctor.save()

    text = " ".join(patient_client.get(_print(treatment)).text.split())

    assert '<dd class="col-sm-9" id="age-sex"> 35 years · Female </dd>' in text
    assert '<span id="registration-number">Reg. no. KMC 45123</span>' in text
    assert "12 MG Road, Bengaluru <br> +91 80 2222 3333" in text


def test_it_says_when_age_and_sex_are_not_given(patient_client, treatment):
    text = " ".join(patient_client.get(_print(treatment)).text.split())

    assert "age not given · sex not given" in text
    assert "registration-number" not in text
