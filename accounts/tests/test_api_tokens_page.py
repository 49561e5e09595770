"""The profile's API tokens page: each person sees and revokes only their own."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import ApiToken
from accounts.services import api_token_issue
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LIST = reverse("accounts:api-token-list")


def test_it_lists_the_persons_tokens_and_no_one_elses(patient_client, patient):
    mine, _raw = api_token_issue(user=patient.user, name="Phone app")
    theirs, _raw = api_token_issue(user=UserFactory(), name="Other kiosk")

    response = patient_client.get(LIST)

    assert mine.prefix in response.text
    assert "Phone app" in response.text
    assert theirs.prefix not in response.text
    assert reverse("accounts:api-token-revoke", args=[mine.pk]) in response.text


def test_it_says_when_there_is_no_token(patient_client):
    assert "You have no API tokens" in patient_client.get(LIST).text


def test_it_asks_before_revoking_then_revokes(patient_client, patient):
    token, raw = api_token_issue(user=patient.user)
    url = reverse("accounts:api-token-revoke", args=[token.pk])

    asked = patient_client.get(url)
    token.refresh_from_db()
    assert "Revoke the token" in asked.text
    assert token.revoked_at is None

    done = patient_client.post(url)

    assert done.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    refused = Client().get("/api/v1/patients/me", headers={"Authorization": f"Bearer {raw}"})
    assert refused.status_code == 401
    assert "Revoked" in patient_client.get(LIST).text


def test_it_does_not_revoke_someone_elses_token(patient_client):
    theirs, _raw = api_token_issue(user=UserFactory())

    response = patient_client.post(reverse("accounts:api-token-revoke", args=[theirs.pk]))

    assert response.status_code == 404
    assert ApiToken.objects.get(pk=theirs.pk).revoked_at is None
