"""Registering a patient at the front desk: phone, duplicates, with and without e-mail."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import ReceptionFactory
from clinic.models import Patient
from clinic.tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

URL = reverse("scheduling:desk-register")


@pytest.fixture
def desk_client(clinic_now):
    client = Client()
    client.force_login(ReceptionFactory())
    return client


def _data(**overrides):
    return {
        "first_name": "Sunita",
        "last_name": "Pillai",
        "phone": "98450 77777",
        "date_of_birth": "1980-05-17",
        "gender": "female",
        "email": "",
        **overrides,
    }


def test_it_registers_a_patient_without_e_mail_who_cannot_sign_in(
    desk_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = desk_client.post(URL, _data())

    patient = Patient.objects.get(user__last_name="Pillai")
    assert response.status_code == 302
    assert response["Location"] == reverse("scheduling:desk-patient", args=[patient.pk])
    assert patient.user.email is None
    assert patient.user.phone == "+919845077777"  # read as an Indian number, stored E.164
    assert str(patient.date_of_birth) == "1980-05-17"
    assert not patient.user.has_usable_password()
    assert mail.outbox == []


def test_it_registers_many_patients_without_e_mail(desk_client):
    desk_client.post(URL, _data())
    desk_client.post(URL, _data(first_name="Ravi", phone="98450 77778", date_of_birth="1979-01-02"))

    assert User.objects.filter(email=None).count() == 2


def test_it_invites_a_patient_with_an_e_mail_to_set_a_password(
    desk_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = desk_client.post(URL, _data(email="Sunita@Example.com"))

    user = User.objects.get(email="sunita@example.com")
    assert response.status_code == 302
    assert not user.has_usable_password()
    assert [m.to for m in mail.outbox] == [["sunita@example.com"]]
    assert "/accounts/password/reset/" in mail.outbox[0].body


def test_it_refuses_a_bad_phone_number(desk_client):
    response = desk_client.post(URL, _data(phone="12345"))

    assert response.status_code == 422
    # The words of every other door (hms.phones), next to the field.
    assert response.context["form"].errors["phone"] == [
        "Enter a valid phone number, e.g. 98450 00001 or +91 98450 00001."
    ]
    assert not Patient.objects.exists()


def test_it_refuses_an_e_mail_already_registered(desk_client):
    PatientFactory(email="taken@example.com")

    response = desk_client.post(URL, _data(email="TAKEN@example.com"))

    assert response.status_code == 422
    assert "already registered" in response.text
    assert Patient.objects.count() == 1


@pytest.mark.parametrize(
    "existing",
    [
        {"phone": "+91 98450 77777", "first_name": "Someone", "last_name": "Else"},
        {"phone": "+91 90000 00000", "first_name": "sunita", "last_name": "PILLAI"},
    ],
    ids=["same phone", "same name and birthday"],
)
def test_it_warns_of_a_possible_duplicate_and_registers_when_confirmed(desk_client, existing):
    from clinic.services import patient_register_at_desk

    other = patient_register_at_desk(
        **existing,
        date_of_birth=_data()["date_of_birth"],
        gender="female",
        base_url="http://testserver/",
    )

    warned = desk_client.post(URL, _data())

    assert warned.status_code == 200
    assert 'id="duplicates"' in warned.text
    assert reverse("scheduling:desk-patient", args=[other.pk]) in warned.text
    assert Patient.objects.count() == 1

    confirmed = desk_client.post(URL, _data(confirm_duplicate="on"))

    assert confirmed.status_code == 302
    assert Patient.objects.count() == 2


def test_it_refuses_a_birthday_in_the_future(desk_client):
    response = desk_client.post(URL, _data(date_of_birth="2027-01-01"))

    assert response.status_code == 422
    assert "cannot be in the future" in response.text
    assert not Patient.objects.exists()


def test_it_lets_staff_add_an_e_mail_later_so_the_patient_can_sign_in(
    desk_client, admin_client, django_capture_on_commit_callbacks
):
    desk_client.post(URL, _data())
    patient = Patient.objects.get()

    edit = reverse("clinic:manage-patient-edit", args=[patient.pk])
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            edit,
            {"first_name": "Sunita", "last_name": "Pillai", "email": "sunita@example.com",
             "phone": "+919845077777", "date_of_birth": "1980-05-17", "gender": "female"},
        )  # fmt: skip

    patient.user.refresh_from_db()
    assert patient.user.email == "sunita@example.com"
    # Their first password is chosen through the link (a reset would skip them).
    assert [m.to for m in mail.outbox] == [["sunita@example.com"]]
    assert "/accounts/password/reset/" in mail.outbox[0].body
