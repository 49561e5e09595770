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


def test_it_tells_a_disabled_person_in_plain_words(client, password):
    person = UserFactory(email="asha@example.com")
    person.is_active = False
    person.save()

    response = client.post(LOGIN, {"username": "asha@example.com", "password": password})

    assert response.status_code == 200
    assert DISABLED_MESSAGE in response.text
    assert "_auth_user_id" not in client.session


def test_it_does_not_reveal_a_disabled_account_without_the_password(client):
    person = UserFactory(email="asha@example.com")
    person.is_active = False
    person.save()

    response = client.post(LOGIN, {"username": "asha@example.com", "password": "guess-guess-1"})

    assert DISABLED_MESSAGE not in response.text
    assert "Please enter a correct e-mail address and password" in response.text


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
