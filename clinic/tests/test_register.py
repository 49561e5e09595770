import pytest
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from clinic.models import Patient
from clinic.tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

REGISTER = reverse("clinic:patient-register")
GOOD = {
    "first_name": "Priya",
    "last_name": "Sharma",
    "email": "Priya.Sharma@Example.com",
    "phone": "+91 98450 00001",
    "password1": "tulsi-garden-morning-7",
    "password2": "tulsi-garden-morning-7",
}


def test_it_registers_a_patient_and_signs_them_in(client):
    response = client.post(REGISTER, GOOD)

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    user = User.objects.get()
    assert user.email == "priya.sharma@example.com"
    assert user.role == Role.PATIENT
    assert not user.is_staff
    assert Patient.objects.filter(user=user).exists()
    assert client.session["_auth_user_id"] == str(user.pk)
    home = client.get(reverse("dashboard"), follow=True)
    assert "Welcome! Your patient account is ready." in home.text
    assert home.redirect_chain[-1][0] == reverse("scheduling:patient-home")


def test_it_refuses_an_email_already_used_in_another_letter_case(client):
    PatientFactory(email="priya.sharma@example.com")

    response = client.post(REGISTER, {**GOOD, "email": "PRIYA.SHARMA@example.COM"})

    assert response.status_code == 422  # refused: Unprocessable Content
    assert "A person with this e-mail address is already registered." in response.text
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short-7", "This password is too short. It must contain at least 12 characters."),
        ("password1234", "This password is too common."),
        ("738294618273", "This password is entirely numeric."),
    ],
)
def test_it_refuses_a_weak_password(client, password, message):
    response = client.post(REGISTER, {**GOOD, "password1": password, "password2": password})

    assert response.status_code == 422  # refused: Unprocessable Content
    assert message in response.text
    assert not User.objects.exists()


def test_it_refuses_passwords_that_differ(client):
    response = client.post(REGISTER, {**GOOD, "password2": "something-else-entirely"})

    assert "The two passwords do not match." in response.text
    assert not User.objects.exists()


def test_it_shows_a_message_next_to_each_missing_field(client):
    response = client.post(REGISTER, {"phone": "123"})

    assert response.status_code == 422  # refused: Unprocessable Content
    form = response.context["form"]
    assert set(form.errors) == {"first_name", "last_name", "email", "password1", "password2"}
    assert response.text.count("This field is required.") == 5
    assert not User.objects.exists()


def test_it_refuses_an_invalid_email(client):
    response = client.post(REGISTER, {**GOOD, "email": "priya-at-example"})

    assert "Enter a valid email address." in response.text
    assert not User.objects.exists()


def test_it_cannot_make_an_admin_or_a_doctor(client):
    client.post(REGISTER, {**GOOD, "role": "admin", "is_staff": "on", "groups": "1"})

    user = User.objects.get()
    assert user.role == Role.PATIENT
    assert not user.is_staff
    assert not user.is_superuser


def test_it_sends_a_signed_in_person_to_their_home(patient_client):
    response = patient_client.get(REGISTER)

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
