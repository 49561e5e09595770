"""E-mails in their recipient's language, whatever the sender's request speaks."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts.tests.factories import UserFactory
from notifications import services as outbox

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_after():
    """A request in Hindi leaves Hindi active in this thread: not for the next test."""
    with translation.override("en-gb"):
        yield


def _person(language: str = ""):
    person = UserFactory(email="asha@example.com", first_name="Asha")
    person.preferred_language = language
    person.save(update_fields=["preferred_language"])
    return person


def test_it_renders_in_the_recipients_language_and_restores_the_senders():
    person = _person("hi")
    built_in = []

    with translation.override("en-gb"):
        message = outbox.email(
            event_key="test",
            user=person,
            template="accounts/email/account_setup",
            context=lambda: built_in.append(translation.get_language()) or {"link": "L"},
            attachment=lambda: ("a.txt", "text/plain", translation.get_language()),
        )
        assert translation.get_language() == "en-gb"

    assert built_in == ["hi"]
    assert message.subject.endswith(": अपना पासवर्ड चुनें")
    assert message.body_text.startswith("नमस्ते Asha,")
    assert message.attachment == "hi"


def test_it_writes_to_someone_without_a_choice_in_the_clinics_language():
    with translation.override("hi"):
        message = outbox.email(
            event_key="test",
            user=_person(),
            template="accounts/email/account_setup",
            context={"link": "L"},
        )

    assert message.subject.endswith(": choose your password")
    assert message.body_text.startswith("Hello Asha,")


@pytest.mark.parametrize(
    ("chosen", "page_language", "greeting"),
    [("hi", "en", "नमस्ते Asha,"), ("", "hi", "Hello Asha,")],
)
def test_it_sends_the_password_reset_in_the_recipients_language(chosen, page_language, greeting):
    _person(chosen)
    client = Client(headers={"accept-language": page_language})

    response = client.post(reverse("accounts:password-reset"), {"email": "asha@example.com"})

    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.body.startswith(greeting)
    assert re.search(r"http://testserver/accounts/password/reset/\S+/", message.body)
    if chosen == "hi":
        assert message.subject.endswith(" के लिए नया पासवर्ड चुनें")
    else:
        assert message.subject.startswith("Choose a new password for ")
