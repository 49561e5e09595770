"""schemathesis fuzzes every operation of /api/v1/openapi.json as a patient, a
doctor and an admin: no response is a 5xx, and every response matches the
schema (status code, content type, body). A few examples per operation keep
it within the suite's time budget; run more with HMS_FUZZ_EXAMPLES.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.tests.factories import AdminFactory
from api.tests.conftest import bearer
from clinic.tests.factories import DoctorFactory, PatientFactory
from scheduling.tests.factories import book, local, open_every_day

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("HMS_FUZZ_EXAMPLES", "4"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def _keep_the_test_connection():
    """Serve schemathesis's requests on the test's connection and transaction.

    Django's WSGI handler closes the connection when a request finishes; the
    test client stops that, and so does this, for the real handler.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(clinic_now, settings, tmp_path):
    """A token of someone of each role; the patient has an appointment with the doctor."""
    settings.MEDIA_ROOT = tmp_path
    doctor = DoctorFactory()
    open_every_day(doctor)
    patient = PatientFactory()
    book(patient, doctor, local("2026-12-02 10:00"))
    people = {"patient": patient.user, "doctor": doctor.user, "admin": AdminFactory()}
    return {role: bearer(user) for role, user in people.items()}


@pytest.mark.usefixtures("_keep_the_test_connection")
def test_it_answers_every_generated_request_within_the_schema(schema, tokens):
    """Each operation gets EXAMPLES requests, each as one of the three roles."""
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy(), role=st.sampled_from(sorted(tokens)))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def fuzz(case, role):
            if case.path == "/api/v1/auth/token" and case.method == "DELETE":
                return  # would end this run's own token
            case.call_and_validate(headers=tokens[role], checks=CHECKS)

        try:
            fuzz()
        except Exception as exc:
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}")

    assert not failures, "\n".join(failures[:10])
