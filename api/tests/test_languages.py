"""The API's error messages in the caller's language (Accept-Language)."""

import json

import pytest
from django.utils import translation

from api.tests.conftest import bearer
from scheduling.tests.factories import local

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_after():
    """A request in Hindi leaves Hindi active in this thread: not for the next test."""
    with translation.override("en-gb"):
        yield


def _book(client, patient, doctor, language):
    return client.post(
        "/api/v1/appointments",
        data=json.dumps({"doctor_id": doctor.pk, "start": local("2026-12-02 10:07").isoformat()}),
        content_type="application/json",
        headers={**bearer(patient.user), "Accept-Language": language},
    )


def test_it_refuses_in_hindi_to_a_hindi_caller(client, patient, open_doctor):
    refused = _book(client, patient, open_doctor, "hi")

    assert refused.status_code == 422
    message = "वह स्लॉट अब उपलब्ध नहीं है, कृपया कोई दूसरा चुनें।"
    assert refused.json() == {"detail": message, "errors": [{"field": None, "message": message}]}


def test_it_refuses_in_english_by_default(client, patient, open_doctor):
    refused = _book(client, patient, open_doctor, "en")

    assert refused.json()["detail"] == "That slot is no longer available, please choose another."


def test_it_says_not_found_in_hindi(client, patient):
    missing = client.get(
        "/api/v1/appointments/999999", headers={**bearer(patient.user), "Accept-Language": "hi"}
    )

    assert missing.status_code == 404
    assert missing.json()["detail"] == "नहीं मिला।"
