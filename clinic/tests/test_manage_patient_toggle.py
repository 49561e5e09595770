import pytest
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse

from accounts.forms import DISABLED_MESSAGE
from clinic.tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def _url(patient):
    return reverse("clinic:manage-patient-toggle", args=[patient.pk])


def test_it_asks_for_a_reason_before_disabling(admin_client, patient):
    response = admin_client.get(_url(patient))

    assert f"Disable {patient}?" in response.text
    assert 'name="reason"' in response.text


def test_it_refuses_to_disable_without_a_reason(admin_client, patient):
    response = admin_client.post(_url(patient), {"reason": ""})

    assert response.context["form"].errors == {"reason": ["This field is required."]}
    patient.user.refresh_from_db()
    assert patient.user.is_active


def test_it_disables_and_the_patient_cannot_sign_in(admin_client, patient, password):
    patients_browser = Client()
    patients_browser.force_login(patient.user)

    response = admin_client.post(_url(patient), {"reason": "Repeated no-shows"})

    assert response.status_code == 302
    # Then what happens to their future bookings (none here: straight back).
    assert response["Location"] == f"/manage/patients/{patient.pk}/bookings/"
    assert admin_client.get(response["Location"])["Location"] == reverse(
        "clinic:manage-patient-detail", args=[patient.pk]
    )
    patient.user.refresh_from_db()
    assert not patient.user.is_active
    assert patient.user.disabled_reason == "Repeated no-shows"
    # Signed out at the next click, and cannot sign in again.
    assert patients_browser.get(reverse("clinic:profile-edit")).status_code == 302
    login = patients_browser.post(
        reverse("accounts:login"), {"username": patient.user.email, "password": password}
    )
    assert str(DISABLED_MESSAGE) in login.text


def test_it_enables_again(admin_client, password):
    patient = PatientFactory(disabled=True)

    assert "Abusive calls" in admin_client.get(_url(patient)).text
    response = admin_client.post(_url(patient))

    assert response.status_code == 302
    patient.user.refresh_from_db()
    assert patient.user.is_active
    assert patient.user.disabled_reason == ""
    assert Client().login(request=HttpRequest(), username=patient.user.email, password=password)
