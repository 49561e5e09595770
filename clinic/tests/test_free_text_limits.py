"""Free text has a length limit, stated on the form, checked by the form and the model;
a next visit is refused beyond the planning horizon."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from clinic import services
from clinic.models import (
    ADDRESS_MAX,
    DIAGNOSIS_MAX,
    DOSAGE_MAX,
    FREQUENCY_MAX,
    INSTRUCTIONS_MAX,
    MEDICINE_MAX,
    NOTES_MAX,
    Treatment,
)
from clinic.tests.factories import PatientFactory
from clinic.tests.test_walkin import _post, _record

pytestmark = pytest.mark.django_db


@pytest.fixture
def walkin_patient(doctor):
    return PatientFactory()


@pytest.mark.parametrize(("field", "limit"), [("diagnosis", DIAGNOSIS_MAX), ("notes", NOTES_MAX)])
def test_it_refuses_a_visit_record_longer_than_its_limit(
    doctor_client, walkin_patient, clinic_today, field, limit
):
    response = doctor_client.post(_record(walkin_patient), _post(**{field: "x" * (limit + 1)}))

    assert response.status_code == 422
    assert f"Ensure this value has at most {limit} characters" in response.text
    assert f"Up to {limit:,} characters." in response.text
    assert not Treatment.objects.exists()


PRESCRIPTION_LIMITS = [
    ("medicine", MEDICINE_MAX),
    ("dosage", DOSAGE_MAX),
    ("frequency", FREQUENCY_MAX),
    ("instructions", INSTRUCTIONS_MAX),
]


@pytest.mark.parametrize(("field", "limit"), PRESCRIPTION_LIMITS)
def test_it_states_a_prescription_lines_limits_on_the_visit_form(
    doctor_client, walkin_patient, clinic_today, field, limit
):
    page = doctor_client.get(_record(walkin_patient)).text

    box = page.split(f'id="id_items-0-{field}"')[0].rsplit("<input", 1)[1]
    assert f'maxlength="{limit}"' in box
    assert (
        f'<div id="id_items-0-{field}_helptext" class="form-text">Up to {limit} characters.</div>'
        in page
    )


@pytest.mark.parametrize(("field", "limit"), PRESCRIPTION_LIMITS)
def test_it_refuses_a_prescription_line_longer_than_its_limit_next_to_the_field(
    doctor_client, walkin_patient, clinic_today, field, limit
):
    response = doctor_client.post(
        _record(walkin_patient), _post(**{f"items-0-{field}": "x" * (limit + 1)})
    )

    assert response.status_code == 422
    error = response.text.split(f'<div id="id_items-0-{field}_error" class="invalid-feedback">')[1]
    assert f"Ensure this value has at most {limit} characters" in error.split("</div>")[0]
    assert not Treatment.objects.exists()


def test_it_refuses_a_long_diagnosis_in_the_service_too(doctor, patient, clinic_today):
    with pytest.raises(ValidationError) as error:
        services.treatment_record(patient=patient, doctor=doctor, diagnosis="x" * 1_000_000)

    assert "diagnosis" in error.value.error_dict
    assert not Treatment.objects.exists()


def test_it_refuses_a_megabyte_address_on_the_profile(patient_client, patient):
    response = patient_client.post(
        reverse("clinic:profile-edit"), {"address": "x" * 1_000_000, "phone": ""}
    )

    assert f"Ensure this value has at most {ADDRESS_MAX} characters" in response.text
    assert f"Up to {ADDRESS_MAX} characters." in response.text
    patient.refresh_from_db()
    assert patient.address == ""


def test_it_refuses_a_megabyte_address_in_the_service(patient):
    with pytest.raises(ValidationError) as error:
        services.patient_update(
            patient=patient,
            phone="",
            date_of_birth=None,
            gender="",
            blood_group="",
            address="x" * (ADDRESS_MAX + 1),
            emergency_contact_name="",
            emergency_contact_phone="",
            allergies="",
        )

    assert "address" in error.value.error_dict


@pytest.mark.parametrize("day", ["9999-12-31", "2028-12-02"])
def test_it_refuses_a_next_visit_beyond_the_horizon(
    doctor_client, walkin_patient, clinic_today, day
):
    response = doctor_client.post(_record(walkin_patient), _post(next_visit_on=day))

    assert response.status_code == 422
    assert "Choose a date within the next 730 days." in response.text
    assert not Treatment.objects.exists()


def test_it_refuses_a_far_next_visit_in_the_service(doctor, patient, clinic_today):
    with pytest.raises(ValidationError, match="within the next 730 days"):
        services.treatment_record(
            patient=patient, doctor=doctor, diagnosis="Flu", next_visit_on=date(9999, 12, 31)
        )


@pytest.mark.parametrize(
    ("url", "names"),
    [
        ("clinic:patient-register", ["first_name", "last_name"]),
        ("clinic:manage-doctor-create", ["first_name", "specialization", "qualification"]),
        ("clinic:manage-department-create", ["name"]),
        ("clinic:manage-reception-create", ["first_name", "last_name"]),
        ("scheduling:desk-register", ["first_name", "last_name"]),
    ],
)
def test_it_states_the_length_of_names_on_the_form(client, admin_user, url, names):
    if url != "clinic:patient-register":  # that one is for people not signed in
        client.force_login(admin_user)
    form = client.get(reverse(url)).context["form"]

    for name in names:
        field = form.fields[name]
        assert f"Up to {field.max_length:,} characters." in str(field.help_text), name


def test_it_states_the_limit_of_a_name_in_hindi(admin_client):
    page = admin_client.get(reverse("clinic:manage-department-create"), HTTP_ACCEPT_LANGUAGE="hi")

    assert "अधिकतम 120 अक्षर।" in page.text
