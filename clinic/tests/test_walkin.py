"""A doctor records a visit without an appointment, for any patient."""

import pytest
from django.urls import reverse

from clinic.models import Patient, Treatment
from clinic.tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

START = reverse("clinic:walkin-start")


def _record(patient):
    return reverse("clinic:walkin-record", args=[patient.pk])


def _post(**overrides):
    data = {
        "diagnosis": "Type 2 diabetes mellitus without complications",
        "icd10_code": "E11.9",
        "notes": "Diet advice.",
        "next_visit_on": "2027-01-05",
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-0-medicine": "Metformin",
        "items-0-dosage": "500 mg",
        "items-0-frequency": "Twice a day",
        "items-0-duration_days": "30",
        "access-reason": "Came to the desk with chest pain; her doctor is on leave.",
    }
    return {**data, **overrides}


@pytest.fixture
def stranger(db):
    return PatientFactory(first_name="Kavya", last_name="Menon", email="kavya@example.com")


@pytest.mark.parametrize("query", ["kavya", "MENON", "kavya@example", "kavya menon"])
def test_it_finds_any_patient_by_name_or_email(doctor_client, stranger, query):
    PatientFactory(first_name="Someone", last_name="Else")

    response = doctor_client.get(START, {"q": query})

    assert _record(stranger) in response.text
    assert "Someone" not in response.text


def test_it_finds_a_patient_by_patient_id(doctor_client, stranger):
    response = doctor_client.get(START, {"q": stranger.patient_number})

    assert _record(stranger) in response.text


def test_it_swaps_only_the_results_for_htmx(doctor_client, stranger):
    response = doctor_client.get(START, {"q": "kavya"}, headers={"HX-Request": "true"})

    assert response.text.lstrip().startswith('<div id="patient-results"')
    assert "<nav" not in response.text
    assert _record(stranger) in response.text


def test_it_records_the_visit_and_the_patient_becomes_theirs(
    doctor_client, doctor, stranger, clinic_today
):
    assert not Patient.objects.visible_to(doctor.user).exists()

    response = doctor_client.post(_record(stranger), _post(), follow=True)

    treatment = Treatment.objects.get()
    assert (treatment.patient, treatment.doctor) == (stranger, doctor)
    assert str(treatment.visit_date) == "2026-12-01"
    assert treatment.items.get().medicine == "Metformin"
    assert f"Visit of {stranger} recorded." in response.text
    assert list(Patient.objects.visible_to(doctor.user)) == [stranger]
    history = doctor_client.get(reverse("clinic:patient-history", args=[stranger.pk]))
    assert "Metformin" in history.text


def test_it_shows_errors_and_saves_nothing(doctor_client, stranger, clinic_today):
    response = doctor_client.post(
        _record(stranger), _post(**{"items-0-medicine": "", "icd10_code": "E11.99"})
    )

    assert response.status_code == 422
    assert "Give the medicine&#x27;s name." in response.text
    assert "E11.99 is not an ICD-10 code" in response.text
    assert not Treatment.objects.exists()


@pytest.mark.parametrize("client_fixture", ["patient_client", "admin_client"])
def test_it_is_only_for_doctors(request, stranger, client_fixture):
    client = request.getfixturevalue(client_fixture)

    assert client.get(START).status_code == 403
    assert client.post(_record(stranger), _post()).status_code == 403
    assert not Treatment.objects.exists()


def test_it_links_the_doctor_nav_to_walk_ins(doctor_client):
    response = doctor_client.get(reverse("scheduling:doctor-home"))

    assert f'href="{START}"' in response.text.split("</nav>")[0]


def test_it_adds_a_prescription_line_without_javascript(doctor_client, stranger):
    response = doctor_client.post(_record(stranger), _post(add_line="1"))

    assert response.status_code == 200
    assert not Treatment.objects.exists()
    assert "Type 2 diabetes mellitus without complications" in response.text
    assert 'value="Metformin"' in response.text
    assert 'name="items-1-medicine"' in response.text
    assert 'name="items-2-medicine"' not in response.text
    assert "This field is required" not in response.text
