import pytest
from django.urls import reverse

from accounts.services import EMAIL_TAKEN
from clinic.tests.factories import DepartmentFactory, DoctorFactory, PatientFactory

pytestmark = pytest.mark.django_db


def _url(doctor):
    return reverse("clinic:manage-doctor-edit", args=[doctor.pk])


def _data(doctor, **changes):
    data = {
        "first_name": doctor.user.first_name,
        "last_name": doctor.user.last_name,
        "email": doctor.user.email,
        "phone": doctor.user.phone,
        "department": doctor.department.pk,
        "specialization": doctor.specialization,
        "qualification": doctor.qualification,
        "experience_years": doctor.experience_years,
        "consultation_minutes": doctor.consultation_minutes,
        "bio": doctor.bio,
        "is_accepting_patients": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_it_prefills_the_form(admin_client, doctor):
    response = admin_client.get(_url(doctor))

    assert f'value="{doctor.user.email}"' in response.text
    assert f'value="{doctor.specialization}"' in response.text


def test_it_saves_the_doctor_and_their_account(admin_client, doctor):
    neurology = DepartmentFactory(name="Neurology")

    response = admin_client.post(
        _url(doctor),
        _data(
            doctor,
            first_name="Neha",
            email="neha@hms.example",
            department=neurology.pk,
            specialization="Epilepsy",
            consultation_minutes=30,
            is_accepting_patients=None,
        ),
    )

    assert response.status_code == 302
    doctor.refresh_from_db()
    doctor.user.refresh_from_db()
    assert doctor.user.first_name == "Neha"
    assert doctor.user.email == "neha@hms.example"
    assert doctor.department == neurology
    assert doctor.specialization == "Epilepsy"
    assert doctor.consultation_minutes == 30
    assert not doctor.is_accepting_patients


def test_it_keeps_the_doctors_own_e_mail_in_another_case(admin_client, doctor):
    response = admin_client.post(_url(doctor), _data(doctor, email=doctor.user.email.upper()))

    assert response.status_code == 302


def test_it_refuses_an_e_mail_used_by_someone_else(admin_client, doctor):
    other = PatientFactory(email="taken@example.com")

    response = admin_client.post(_url(doctor), _data(doctor, email="Taken@Example.com"))

    assert response.status_code == 422  # refused: Unprocessable Content
    assert response.context["form"].errors == {"email": [EMAIL_TAKEN]}
    doctor.user.refresh_from_db()
    assert doctor.user.email != other.user.email


def test_it_saves_nothing_when_one_field_is_wrong(admin_client, doctor):
    response = admin_client.post(
        _url(doctor), _data(doctor, first_name="Changed", consultation_minutes=999)
    )

    assert "consultation_minutes" in response.context["form"].errors
    doctor.user.refresh_from_db()
    assert doctor.user.first_name != "Changed"


def test_it_edits_a_disabled_doctor_too(admin_client):
    disabled = DoctorFactory(disabled=True)

    assert admin_client.get(_url(disabled)).status_code == 200
