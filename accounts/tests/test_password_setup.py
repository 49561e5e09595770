import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode

from accounts.roles import Role
from accounts.services import password_setup_link, user_create

pytestmark = pytest.mark.django_db


def test_it_builds_a_one_time_link_on_the_password_reset_token():
    person = user_create(
        email="new.doctor@example.com", first_name="Neha", last_name="Iyer", role=Role.DOCTOR
    )

    link = password_setup_link(user=person, base_url="https://hms.example.org/")

    match = re.fullmatch(
        r"https://hms\.example\.org/accounts/password/reset/([^/]+)/([^/]+)/", link
    )
    uid, token = match.groups()
    assert force_str(urlsafe_base64_decode(uid)) == str(person.pk)
    assert default_token_generator.check_token(person, token)
