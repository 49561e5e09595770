import pytest
from django.urls import reverse

from clinic.tests.factories import DepartmentFactory, DoctorFactory
from clinic.tests.utils import queries_for

pytestmark = pytest.mark.django_db


def _url(department):
    return reverse("clinic:department-detail", args=[department.slug])


def test_it_lists_the_enabled_doctors_of_the_department(patient_client):
    cardiology = DepartmentFactory(name="Cardiology")
    asha = DoctorFactory(
        department=cardiology,
        first_name="Asha",
        last_name="Rao",
        specialization="Interventional cardiology",
        qualification="MBBS, MD, DM",
        experience_years=14,
    )
    DoctorFactory(department=cardiology, first_name="Gone", last_name="Away", disabled=True)
    DoctorFactory(first_name="Other", last_name="Department")

    response = patient_client.get(_url(cardiology))

    assert response.status_code == 200
    assert "Dr. Asha Rao" in response.text
    assert "Interventional cardiology" in response.text
    assert "MBBS, MD, DM" in response.text
    assert "14 years of experience" in response.text
    assert reverse("clinic:doctor-detail", args=[asha.pk]) in response.text
    assert "Gone Away" not in response.text
    assert "Other Department" not in response.text


def test_it_says_when_a_department_has_no_doctors(patient_client):
    empty = DepartmentFactory(name="Dermatology")

    response = patient_client.get(_url(empty))

    assert "No doctors are listed in Dermatology at the moment." in response.text


def test_it_hides_an_inactive_department_from_patients_and_doctors(patient_client, doctor):
    closed = DepartmentFactory(is_active=False)

    assert patient_client.get(_url(closed)).status_code == 404
    patient_client.force_login(doctor.user)
    assert patient_client.get(_url(closed)).status_code == 404


def test_it_shows_an_inactive_department_to_admins_marked_inactive(admin_client):
    closed = DepartmentFactory(name="Closed Wing", is_active=False)

    response = admin_client.get(_url(closed))

    assert response.status_code == 200
    assert "Inactive" in response.text


def test_it_makes_the_same_number_of_queries_for_5_and_50_doctors(patient_client):
    department = DepartmentFactory()
    DoctorFactory.create_batch(5, department=department)
    few = queries_for(patient_client, _url(department))
    DoctorFactory.create_batch(45, department=department)
    many = queries_for(patient_client, _url(department))

    assert few == many
    assert many <= 5
