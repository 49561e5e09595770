import re

import pytest
from django.urls import reverse

from accounts.forms import DISABLED_MESSAGE
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")


def test_it_signs_in_with_the_email_in_any_letter_case(client, password):
    person = UserFactory(email="asha@example.com")

    response = client.post(LOGIN, {"username": "ASHA@Example.com", "password": password})

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    assert client.session["_auth_user_id"] == str(person.pk)


def test_it_refuses_a_wrong_password_with_a_message(client):
    UserFactory(email="asha@example.com")

    response = client.post(LOGIN, {"username": "asha@example.com", "password": "not-the-one"})

    assert response.status_code == 200
    assert "Please enter a correct e-mail address and password" in response.text
    assert "_auth_user_id" not in client.session


def _page(response) -> str:
    """The page without its per-request CSRF tokens."""
    return re.sub(r"[A-Za-z0-9]{64}", "", response.text)


def test_it_answers_a_disabled_account_the_same_whatever_the_password(client, password):
    person = UserFactory(email="asha@example.com")
    person.is_active = False
    person.save()

    right = client.post(LOGIN, {"username": "asha@example.com", "password": password})
    wrong = client.post(LOGIN, {"username": "asha@example.com", "password": "guess-guess-1"})
    nobody = client.post(LOGIN, {"username": "nobody@example.com", "password": password})

    assert right.status_code == wrong.status_code == nobody.status_code == 200
    assert _page(right) == _page(wrong) == _page(nobody).replace("nobody@", "asha@")
    assert str(DISABLED_MESSAGE) in right.text  # the disabled person still learns why
    assert "_auth_user_id" not in client.session


def test_it_counts_a_disabled_accounts_failures_towards_the_lockout(client, password):
    person = UserFactory(email="asha@example.com")
    person.is_active = False
    person.save()
    for _ in range(4):
        client.post(LOGIN, {"username": "asha@example.com", "password": "guess-guess-1"})

    fifth = client.post(LOGIN, {"username": "asha@example.com", "password": "guess-guess-2"})
    right = client.post(LOGIN, {"username": "asha@example.com", "password": password})

    assert fifth.status_code == right.status_code == 429
    assert _page(fifth) == _page(right)


def test_it_ends_the_session_of_a_person_disabled_while_signed_in(client):
    person = UserFactory()
    client.force_login(person)
    person.is_active = False
    person.save()

    response = client.get(reverse("accounts:password-change"))

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_it_signs_out_with_a_post(patient_client):
    response = patient_client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in patient_client.session
    assert patient_client.get(reverse("dashboard")).status_code == 302


def test_it_shows_the_login_page_with_links_to_register_and_reset(client):
    response = client.get(LOGIN)

    assert response.status_code == 200
    assert reverse("clinic:patient-register") in response.text
    assert reverse("accounts:password-reset") in response.text


def test_it_sends_a_signed_in_person_from_the_login_page_to_their_home(patient_client):
    response = patient_client.get(LOGIN)

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
