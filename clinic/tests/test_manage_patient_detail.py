"""The admin's view of one patient, and editing it."""

import datetime

import pytest
from django.urls import reverse

from accounts.services import EMAIL_TAKEN
from clinic import services
from clinic.tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def _detail(patient):
    return reverse("clinic:manage-patient-detail", args=[patient.pk])


def _edit(patient):
    return reverse("clinic:manage-patient-edit", args=[patient.pk])


def _data(patient, **changes):
    data = {
        "first_name": patient.user.first_name,
        "last_name": patient.user.last_name,
        "email": patient.user.email,
        "phone": patient.user.phone,
        "date_of_birth": "1985-01-30",
        "gender": "male",
        "blood_group": "O-",
        "address": "1 Park Street",
        "emergency_contact_name": "Anita",
        "emergency_contact_phone": "+91 90000 11111",
        "allergies": "Peanuts",
    }
    return {**data, **changes}


def test_it_shows_the_patients_profile(admin_client, patient):
    services.patient_update(
        patient=patient,
        phone="+91 98450 12345",
        date_of_birth=datetime.date(1990, 4, 12),
        gender="female",
        blood_group="AB+",
        address="12 MG Road",
        emergency_contact_name="Ravi",
        emergency_contact_phone="+91 98450 22222",
        allergies="Penicillin",
    )

    response = admin_client.get(_detail(patient))

    for text in [
        patient.patient_number,
        patient.user.email,
        "+91 98450 12345",  # stored in E.164, shown as people read it
        "12 Apr 1990",
        "Female",
        "AB+",
        "12 MG Road",
        "Ravi",
        "Penicillin",
        _edit(patient),
        reverse("clinic:manage-patient-toggle", args=[patient.pk]),
    ]:
        assert text in response.text


def test_it_shows_why_a_patient_is_disabled(admin_client):
    patient = PatientFactory(disabled=True)

    response = admin_client.get(_detail(patient))

    assert "Disabled: Abusive calls" in response.text


def test_it_edits_name_e_mail_and_profile(admin_client, patient):
    response = admin_client.post(
        _edit(patient), _data(patient, first_name="Priya", email="Priya.New@Example.com")
    )

    assert response.status_code == 302
    assert response["Location"] == _detail(patient)
    patient.refresh_from_db()
    patient.user.refresh_from_db()
    assert patient.user.first_name == "Priya"
    assert patient.user.email == "priya.new@example.com"
    assert patient.date_of_birth == datetime.date(1985, 1, 30)
    assert patient.blood_group == "O-"
    assert patient.allergies == "Peanuts"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"email": "not-an-email"}, "email", "Enter a valid email address."),
        ({"email": "TAKEN@example.com"}, "email", str(EMAIL_TAKEN)),
        ({"date_of_birth": "2999-01-01"}, "date_of_birth", "cannot be in the future"),
        ({"date_of_birth": "31/31/1990"}, "date_of_birth", "Enter a valid date."),
        ({"first_name": ""}, "first_name", "This field is required."),
    ],
)
def test_it_shows_errors_next_to_the_field_and_saves_nothing(
    admin_client, patient, changes, field, message
):
    PatientFactory(email="taken@example.com")
    email = patient.user.email

    response = admin_client.post(_edit(patient), _data(patient, allergies="Changed", **changes))

    assert response.status_code == 422  # refused: Unprocessable Content
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in errors[field][0]
    patient.refresh_from_db()
    patient.user.refresh_from_db()
    assert patient.allergies == ""
    assert patient.user.email == email
