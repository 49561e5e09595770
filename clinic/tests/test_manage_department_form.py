"""Creating and editing departments."""

import pytest
from django.urls import reverse

from clinic.models import Department
from clinic.services import DEPARTMENT_TAKEN
from clinic.tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db

CREATE = reverse("clinic:manage-department-create")


def _edit(department):
    return reverse("clinic:manage-department-edit", args=[department.pk])


def test_it_creates_a_department_with_a_slug(admin_client):
    response = admin_client.post(CREATE, {"name": "  Cardiology ", "description": "Hearts."})

    assert response.status_code == 302
    assert response["Location"] == reverse("clinic:manage-department-list")
    department = Department.objects.get()
    assert department.name == "Cardiology"
    assert department.slug == "cardiology"
    assert department.is_active
    page = admin_client.get(response["Location"])
    assert "Department “Cardiology” created." in page.text


def test_it_refuses_a_name_already_used_in_another_letter_case(admin_client):
    DepartmentFactory(name="Cardiology")

    response = admin_client.post(CREATE, {"name": "CARDIOLOGY", "description": ""})

    assert response.status_code == 422  # refused: Unprocessable Content
    assert response.context["form"].errors == {"name": [DEPARTMENT_TAKEN]}
    assert DEPARTMENT_TAKEN in response.text
    assert Department.objects.count() == 1


def test_it_refuses_an_empty_name(admin_client):
    response = admin_client.post(CREATE, {"name": "", "description": "x"})

    assert response.context["form"].errors == {"name": ["This field is required."]}
    assert not Department.objects.exists()


def test_it_edits_a_department_and_keeps_its_address(admin_client):
    department = DepartmentFactory(name="Cardiology")

    response = admin_client.post(
        _edit(department), {"name": "Cardiology and Vascular", "description": "New."}
    )

    assert response.status_code == 302
    department.refresh_from_db()
    assert department.name == "Cardiology and Vascular"
    assert department.description == "New."
    assert department.slug == "cardiology"


def test_it_lets_a_department_change_the_case_of_its_own_name(admin_client):
    department = DepartmentFactory(name="cardiology")

    admin_client.post(_edit(department), {"name": "Cardiology", "description": ""})

    department.refresh_from_db()
    assert department.name == "Cardiology"


def test_it_refuses_renaming_to_another_departments_name(admin_client):
    DepartmentFactory(name="Cardiology")
    other = DepartmentFactory(name="Orthopaedics")

    response = admin_client.post(_edit(other), {"name": "cardiology", "description": ""})

    assert response.status_code == 422  # refused: Unprocessable Content
    assert response.context["form"].errors == {"name": [DEPARTMENT_TAKEN]}
    other.refresh_from_db()
    assert other.name == "Orthopaedics"


def test_it_prefills_the_edit_form(admin_client):
    department = DepartmentFactory(name="Cardiology", description="Hearts and vessels.")

    response = admin_client.get(_edit(department))

    assert 'value="Cardiology"' in response.text
    assert "Hearts and vessels." in response.text
