import pytest
from django.urls import reverse

from clinic.tests.factories import DepartmentFactory, DoctorFactory

pytestmark = pytest.mark.django_db


def _url(doctor):
    return reverse("clinic:doctor-detail", args=[doctor.pk])


def test_it_shows_a_doctors_profile(patient_client):
    doctor = DoctorFactory(
        first_name="Asha",
        last_name="Rao",
        department=DepartmentFactory(name="Cardiology"),
        specialization="Interventional cardiology",
        qualification="MBBS, MD, DM (Cardiology)",
        experience_years=14,
        consultation_minutes=20,
        bio="Twenty years of heart care.",
    )

    response = patient_client.get(_url(doctor))

    assert response.status_code == 200
    for text in [
        "Dr. Asha Rao",
        "Cardiology",
        "Interventional cardiology",
        "MBBS, MD, DM (Cardiology)",
        "14 years",
        "20 minutes",
        "Twenty years of heart care.",
    ]:
        assert text in response.text
    assert 'id="doctor-actions"' in response.text
    assert "Hidden from patients" not in response.text


def test_it_hides_a_disabled_doctor_from_patients(patient_client):
    doctor = DoctorFactory(disabled=True)

    assert patient_client.get(_url(doctor)).status_code == 404


def test_it_hides_the_doctors_of_an_inactive_department_from_patients(patient_client):
    doctor = DoctorFactory(department=DepartmentFactory(is_active=False))

    assert patient_client.get(_url(doctor)).status_code == 404


def test_it_shows_a_disabled_doctor_to_admins_marked_hidden(admin_client):
    doctor = DoctorFactory(disabled=True)

    response = admin_client.get(_url(doctor))

    assert response.status_code == 200
    assert "Hidden from patients" in response.text


def test_it_says_when_a_doctor_takes_no_new_bookings(patient_client, doctor):
    doctor.is_accepting_patients = False
    doctor.save()

    response = patient_client.get(_url(doctor))

    assert "is not taking new bookings at the moment" in response.text
