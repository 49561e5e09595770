import pytest
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse

from accounts.forms import DISABLED_MESSAGE
from clinic.tests.factories import DoctorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_client():
    """A second browser, beside the admin's."""
    return Client()


def _url(doctor):
    return reverse("clinic:manage-doctor-toggle", args=[doctor.pk])


def test_it_asks_for_a_reason_before_disabling(admin_client, doctor):
    response = admin_client.get(_url(doctor))

    assert response.status_code == 200
    assert f"Disable {doctor}?" in response.text
    assert 'name="reason"' in response.text
    doctor.user.refresh_from_db()
    assert doctor.user.is_active


def test_it_refuses_to_disable_without_a_reason(admin_client, doctor):
    response = admin_client.post(_url(doctor), {"reason": "  "})

    assert response.status_code == 422  # refused: Unprocessable Content
    assert response.context["form"].errors == {"reason": ["This field is required."]}
    doctor.user.refresh_from_db()
    assert doctor.user.is_active


def test_it_disables_hides_from_patients_and_blocks_sign_in(
    admin_client, other_client, patient, password, django_capture_on_commit_callbacks
):
    client = other_client
    doctor = DoctorFactory(first_name="Asha", last_name="Rao", specialization="Cardiology")
    department_page = reverse("clinic:department-detail", args=[doctor.department.slug])
    client.force_login(patient.user)
    assert "Dr. Asha Rao" in client.get(department_page).text  # now cached

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(_url(doctor), {"reason": "Licence suspended"})

    assert response.status_code == 302
    assert f"{doctor} has been disabled." in admin_client.get(response["Location"]).text
    doctor.user.refresh_from_db()
    assert not doctor.user.is_active
    assert doctor.user.disabled_reason == "Licence suspended"
    assert "Dr. Asha Rao" not in client.get(department_page).text
    assert "Dr. Asha Rao" not in client.get(reverse("clinic:doctor-search"), {"q": "asha"}).text
    assert client.get(reverse("clinic:doctor-detail", args=[doctor.pk])).status_code == 404
    client.logout()
    login = client.post(
        reverse("accounts:login"), {"username": doctor.user.email, "password": password}
    )
    assert str(DISABLED_MESSAGE) in login.text


def test_it_signs_out_a_doctor_disabled_while_signed_in(admin_client, other_client, doctor):
    client = other_client
    client.force_login(doctor.user)

    admin_client.post(_url(doctor), {"reason": "Left"})

    response = client.get(reverse("clinic:department-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_it_shows_the_reason_and_enables_again(
    admin_client, other_client, password, django_capture_on_commit_callbacks
):
    client = other_client
    doctor = DoctorFactory(disabled=True)

    page = admin_client.get(_url(doctor))
    assert "Left the hospital" in page.text
    assert f"Enable {doctor}?" in page.text
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(_url(doctor))

    assert response.status_code == 302
    doctor.user.refresh_from_db()
    assert doctor.user.is_active
    assert doctor.user.disabled_reason == ""
    assert client.login(request=HttpRequest(), username=doctor.user.email, password=password)
    assert client.get(reverse("clinic:doctor-detail", args=[doctor.pk])).status_code == 200
