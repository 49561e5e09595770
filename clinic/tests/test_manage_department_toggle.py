import pytest
from django.urls import reverse

from clinic.models import Department
from clinic.tests.factories import DepartmentFactory, DoctorFactory

pytestmark = pytest.mark.django_db


def _url(department):
    return reverse("clinic:manage-department-toggle", args=[department.pk])


def test_it_asks_for_confirmation_and_says_doctors_will_be_hidden(admin_client):
    department = DepartmentFactory(name="Cardiology")
    DoctorFactory.create_batch(2, department=department)

    response = admin_client.get(_url(department))

    assert response.status_code == 200
    assert "Deactivate Cardiology?" in response.text
    assert "deactivated, never deleted" in response.text
    assert "Cardiology has 2 doctors" in response.text
    department.refresh_from_db()
    assert department.is_active


def test_it_deactivates_never_deletes_and_hides_the_doctors(
    admin_client, patient, django_capture_on_commit_callbacks
):
    department = DepartmentFactory(name="Cardiology")
    doctor = DoctorFactory(department=department)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(_url(department))

    assert response.status_code == 302
    department.refresh_from_db()
    assert Department.objects.filter(pk=department.pk).exists()
    assert not department.is_active
    assert "Department “Cardiology” deactivated." in admin_client.get(response["Location"]).text
    admin_client.force_login(patient.user)
    assert "Cardiology" not in admin_client.get(reverse("clinic:department-list")).text
    doctor_page = admin_client.get(reverse("clinic:doctor-detail", args=[doctor.pk]))
    assert doctor_page.status_code == 404


def test_it_reactivates(admin_client, django_capture_on_commit_callbacks):
    department = DepartmentFactory(name="Cardiology", is_active=False)

    assert "Reactivate Cardiology?" in admin_client.get(_url(department)).text
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(_url(department))

    department.refresh_from_db()
    assert department.is_active
    assert "Cardiology" in admin_client.get(reverse("clinic:department-list")).text
