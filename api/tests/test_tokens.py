"""Bearer tokens: issued for an e-mail and password, stored as a hash, ended by
revoking, disabling the account or changing its password; wrong passwords
count toward the sign-in page's lockout.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import ApiToken
from accounts.services import api_token_issue, user_disable
from accounts.tests.factories import AdminFactory

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token"
ME = "/api/v1/patients/me"


IP = "10.0.0.1"


def _sign_in(client, email, password, ip=IP):
    return client.post(
        TOKEN,
        json.dumps({"email": email, "password": password}),
        content_type="application/json",
        REMOTE_ADDR=ip,
    )


def _me(client, token):
    return client.get(ME, headers={"Authorization": f"Bearer {token}"})


def test_it_issues_a_token_that_opens_the_api(client, patient, password):
    response = _sign_in(client, patient.user.email.upper(), password)

    assert response.status_code == 201
    token = response.json()["token"]
    assert _me(client, token).json()["email"] == patient.user.email


def test_it_stores_only_a_hash_of_the_token(client, patient, password):
    token = _sign_in(client, patient.user.email, password).json()["token"]

    row = ApiToken.objects.get(user=patient.user)
    assert token not in (row.key_hash, row.prefix)
    assert not ApiToken.objects.filter(key_hash__contains=token[4:20]).exists()


def test_it_refuses_a_wrong_password_with_401(client, patient):
    response = _sign_in(client, patient.user.email, "not-the-password-1")

    assert response.status_code == 401
    assert response.json()["errors"][0]["message"]
    assert not ApiToken.objects.exists()


def test_it_refuses_a_call_without_a_token(client, patient):
    response = client.get(ME)

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_it_never_reads_a_token_from_the_url(client, patient):
    _token, raw = api_token_issue(user=patient.user)

    assert client.get(ME, {"token": raw}).status_code == 401
    assert client.get(ME, {"access_token": raw}).status_code == 401


def test_it_refuses_a_revoked_token(client, patient):
    _token, raw = api_token_issue(user=patient.user)
    headers = {"Authorization": f"Bearer {raw}"}

    assert client.delete(TOKEN, headers=headers).status_code == 204

    assert _me(client, raw).status_code == 401
    assert ApiToken.objects.get().revoked_at is not None


def test_it_refuses_the_token_of_a_disabled_account(client, patient):
    _token, raw = api_token_issue(user=patient.user)
    assert _me(client, raw).status_code == 200

    user_disable(user=patient.user, reason="Abusive calls", by=AdminFactory())

    assert _me(client, raw).status_code == 401
    assert ApiToken.objects.get().revoked_at is not None


def test_it_refuses_tokens_issued_before_a_password_change(client, patient):
    _token, raw = api_token_issue(user=patient.user)
    patient.user.set_password("a-brand-new-password-7")
    patient.user.save()

    assert _me(client, raw).status_code == 401
    assert ApiToken.objects.get().revoked_at is not None


def test_it_refuses_an_expired_token(client, patient, settings, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    settings.HMS_API_TOKEN_DAYS = 2
    _token, raw = api_token_issue(user=patient.user)
    time_machine.shift(timedelta(days=2, seconds=1))

    assert _me(client, raw).status_code == 401


def test_it_counts_api_failures_toward_the_login_lockout(client, patient, password):
    for _ in range(4):
        assert _sign_in(client, patient.user.email, "wrong-password-123").status_code == 401
    login = reverse("accounts:login")
    page = client.post(
        login, {"username": patient.user.email, "password": "wrong-again-123"}, REMOTE_ADDR=IP
    )
    assert page.status_code == 429  # the fifth failure, on the page, locks

    response = _sign_in(client, patient.user.email, password)

    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert "Too many failed sign-ins" in response.json()["detail"]
    assert not ApiToken.objects.exists()


def test_it_locks_the_login_page_after_api_failures(client, patient, password):
    for _ in range(5):
        _sign_in(client, patient.user.email, "wrong-password-123")

    page = client.post(
        reverse("accounts:login"),
        {"username": patient.user.email, "password": password},
        REMOTE_ADDR=IP,
    )

    assert page.status_code == 429
    assert "Too many failed sign-ins" in page.text


def test_it_accepts_the_session_with_its_csrf_token(patient, password):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(patient.user)
    assert browser.get(ME).status_code == 200
    body = {"phone": "+91 98450 11111"}

    refused = browser.put(ME, json.dumps(body), content_type="application/json")
    browser.get(reverse("clinic:profile-edit"))  # sets the CSRF cookie
    accepted = browser.put(
        ME,
        json.dumps(body),
        content_type="application/json",
        headers={"X-CSRFToken": browser.cookies["csrftoken"].value},
    )

    assert refused.status_code == 403
    assert accepted.status_code == 200
    patient.user.refresh_from_db()
    assert patient.user.phone == "+919845011111"
