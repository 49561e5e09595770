import pytest
from django.urls import reverse

from clinic.tests.factories import DepartmentFactory, DoctorFactory
from clinic.tests.utils import queries_for

pytestmark = pytest.mark.django_db

URL = reverse("clinic:department-list")


def test_it_lists_active_departments_with_their_listed_doctors(patient_client):
    cardiology = DepartmentFactory(name="Cardiology", description="Heart and blood vessels.")
    DoctorFactory(department=cardiology)
    DoctorFactory(department=cardiology)
    DoctorFactory(department=cardiology, disabled=True)
    DepartmentFactory(name="Closed Wing", is_active=False)

    response = patient_client.get(URL)

    assert response.status_code == 200
    assert "Cardiology" in response.text
    assert "Heart and blood vessels." in response.text
    assert "2 doctors" in response.text
    assert reverse("clinic:department-detail", args=[cardiology.slug]) in response.text
    assert "Closed Wing" not in response.text


def test_it_says_when_there_are_no_departments(patient_client):
    response = patient_client.get(URL)

    assert "No departments are open for booking yet." in response.text


def test_it_makes_the_same_number_of_queries_for_5_and_50_departments(patient_client):
    DepartmentFactory.create_batch(5)
    few = queries_for(patient_client, URL)
    DepartmentFactory.create_batch(45)
    many = queries_for(patient_client, URL)

    assert few == many
    assert many <= 4
