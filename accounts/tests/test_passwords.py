import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-passphrase-42"


def test_it_changes_the_password(patient_client, patient, password):
    response = patient_client.post(
        reverse("accounts:password-change"),
        {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password-change-done")
    patient.user.refresh_from_db()
    assert patient.user.check_password(NEW_PASSWORD)


def test_it_refuses_a_short_new_password_with_a_message(patient_client, patient, password):
    response = patient_client.post(
        reverse("accounts:password-change"),
        {"old_password": password, "new_password1": "short-1", "new_password2": "short-1"},
    )

    assert response.status_code == 200
    assert "This password is too short. It must contain at least 12 characters." in response.text
    patient.user.refresh_from_db()
    assert patient.user.check_password(password)


def test_it_resets_a_forgotten_password_by_email(client):
    person = UserFactory(email="asha@example.com")

    response = client.post(reverse("accounts:password-reset"), {"email": "ASHA@example.com"})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["asha@example.com"]
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body)
    assert link, mail.outbox[0].body

    form_page = client.get(link.group(1), follow=True)
    assert "Choose a new password" in form_page.text
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert done.status_code == 302
    assert done["Location"] == reverse("accounts:password-reset-complete")
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)


def test_it_sends_no_reset_mail_for_an_unknown_address(client):
    response = client.post(reverse("accounts:password-reset"), {"email": "nobody@example.com"})

    assert response.status_code == 302
    assert mail.outbox == []


@pytest.mark.parametrize("weak", ["aaaaaaaaaaaa", "abcdefghijkl", "qwertyuiopas"])
def test_it_refuses_a_guessable_password_and_says_why(patient_client, patient, password, weak):
    response = patient_client.post(
        reverse("accounts:password-change"),
        {"old_password": password, "new_password1": weak, "new_password2": weak},
    )

    assert response.status_code == 200
    assert "Your password is too guessable" in response.text
    assert "It would take an offline attacker" in response.text
    patient.user.refresh_from_db()
    assert patient.user.check_password(password)


def test_it_refuses_a_guessable_password_at_registration(client):
    weak = "aaaaaaaaaaaa"
    response = client.post(
        reverse("clinic:patient-register"),
        {"first_name": "Priya", "last_name": "Sharma", "email": "priya@example.com",
         "password1": weak, "password2": weak},
    )  # fmt: skip

    assert response.status_code == 422
    assert "Your password is too guessable" in response.text
    assert not User.objects.filter(email="priya@example.com").exists()
