import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode

from accounts.roles import Role
from accounts.services import user_create, user_send_password_setup

pytestmark = pytest.mark.django_db


def test_it_e_mails_a_one_time_link_built_on_the_password_reset_token(mailoutbox, settings):
    settings.HMS_CLINIC_NAME = "City Hospital"
    person = user_create(
        email="new.doctor@example.com", first_name="Neha", last_name="Iyer", role=Role.DOCTOR
    )

    user_send_password_setup(user=person, base_url="https://hms.example.org/")

    (mail,) = mailoutbox
    assert mail.to == ["new.doctor@example.com"]
    assert mail.subject == "Your account at City Hospital: choose your password"
    assert "Hello Neha" in mail.body
    match = re.search(
        r"https://hms\.example\.org/accounts/password/reset/([^/]+)/([^/]+)/", mail.body
    )
    uid, token = match.groups()
    assert force_str(urlsafe_base64_decode(uid)) == str(person.pk)
    assert default_token_generator.check_token(person, token)
