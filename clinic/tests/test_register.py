import datetime

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from clinic.demo import DEMO_PASSWORD
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


SENT = reverse("clinic:patient-register-sent")


def test_it_registers_a_patient_who_then_signs_in(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REGISTER, GOOD)

    assert response.status_code == 302
    assert response["Location"] == SENT
    user = User.objects.get()
    assert user.email == "priya.sharma@example.com"
    assert user.role == Role.PATIENT
    assert not user.is_staff
    assert Patient.objects.filter(user=user).exists()
    assert "_auth_user_id" not in client.session
    (welcome,) = mail.outbox
    assert welcome.to == ["priya.sharma@example.com"]
    assert "Your patient account at HMS Hospital is ready" in welcome.body
    sent = client.get(SENT)
    assert "We have sent a message to <strong>priya.sharma@example.com</strong>" in sent.text
    signed_in = client.post(
        reverse("accounts:login"), {"username": GOOD["email"], "password": GOOD["password1"]}
    )
    assert signed_in.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_it_does_not_tell_the_page_that_an_email_has_an_account(
    client, django_capture_on_commit_callbacks
):
    known = PatientFactory(first_name="Asha", email="priya.sharma@example.com")
    password_before = known.user.password

    with django_capture_on_commit_callbacks(execute=True):
        taken = client.post(REGISTER, {**GOOD, "email": "PRIYA.SHARMA@example.COM"})
        new = client.post(REGISTER, {**GOOD, "email": "someone.new@example.com"})

    assert taken.status_code == new.status_code == 302
    assert taken["Location"] == new["Location"] == SENT
    assert User.objects.count() == 2
    known.user.refresh_from_db()
    assert known.user.password == password_before
    assert known.user.first_name == "Asha"
    exists, welcome = mail.outbox
    assert exists.to == ["priya.sharma@example.com"]
    assert "which already has an account, so nothing was changed" in exists.body
    assert "/accounts/password/reset/" in exists.body
    assert welcome.to == ["someone.new@example.com"]


def test_it_mails_a_known_address_at_most_once_a_day(
    client, django_capture_on_commit_callbacks, time_machine
):
    # Someone registering another person's address again and again must not
    # flood their inbox: one "you already have an account" e-mail a day.
    time_machine.move_to(datetime.datetime(2026, 5, 1, 9, 0, tzinfo=datetime.UTC))
    PatientFactory(email="priya.sharma@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        answers = [client.post(REGISTER, GOOD) for _ in range(3)]

    assert [a["Location"] for a in answers] == [SENT] * 3
    (exists,) = mail.outbox
    assert "which already has an account, so nothing was changed" in exists.body

    time_machine.move_to(datetime.datetime(2026, 5, 2, 9, 0, tzinfo=datetime.UTC))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(REGISTER, GOOD)

    assert len(mail.outbox) == 2  # a new day, a new e-mail


def test_a_new_address_registered_three_times_gets_a_welcome_and_one_warning(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            client.post(REGISTER, GOOD)

    welcome, exists = mail.outbox
    assert "Your patient account at HMS Hospital is ready" in welcome.body
    assert "which already has an account, so nothing was changed" in exists.body
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
    # Only the fields of the form are read; anything else posted is ignored.
    client.post(REGISTER, {**GOOD, "role": "admin", "is_staff": "on", "groups": "1"})

    user = User.objects.get()
    assert user.role == Role.PATIENT
    assert not user.is_staff
    assert not user.is_superuser


def test_it_sends_a_signed_in_person_to_their_home(patient_client):
    response = patient_client.get(REGISTER)

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")


def test_it_accepts_the_demo_and_test_passwords(password):
    validate_password(DEMO_PASSWORD)
    validate_password(password)
