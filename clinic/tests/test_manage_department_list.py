import pytest
from django.urls import reverse

from clinic.tests.factories import DepartmentFactory, DoctorFactory
from clinic.tests.utils import queries_for

pytestmark = pytest.mark.django_db

URL = reverse("clinic:manage-department-list")


def test_it_lists_every_department_with_its_doctors_and_status(admin_client):
    cardiology = DepartmentFactory(name="Cardiology")
    DoctorFactory.create_batch(3, department=cardiology)
    closed = DepartmentFactory(name="Closed Wing", is_active=False)

    response = admin_client.get(URL)

    assert response.status_code == 200
    text = response.text
    assert "Cardiology" in text
    assert "Closed Wing" in text
    assert '<td data-label="Doctors">3</td>' in text
    assert "Inactive" in text
    assert reverse("clinic:manage-department-edit", args=[cardiology.pk]) in text
    assert reverse("clinic:manage-department-toggle", args=[closed.pk]) in text
    assert "Reactivate" in text


def test_it_says_when_there_are_no_departments(admin_client):
    response = admin_client.get(URL)

    assert "No departments yet." in response.text


def test_it_makes_the_same_number_of_queries_for_5_and_50_departments(admin_client):
    DepartmentFactory.create_batch(5)
    few = queries_for(admin_client, URL)
    DepartmentFactory.create_batch(45)
    many = queries_for(admin_client, URL)

    assert few == many
    assert many <= 5
