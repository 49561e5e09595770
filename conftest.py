"""Project-wide pytest fixtures: fast hashing, a clean cache, one person per role."""

import pytest
from django.core.cache import cache

from accounts.tests.factories import PASSWORD, AdminFactory
from clinic.tests.factories import DoctorFactory, PatientFactory


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def admin_user(db):
    return AdminFactory()


@pytest.fixture
def doctor(db):
    return DoctorFactory()


@pytest.fixture
def patient(db):
    return PatientFactory()


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def doctor_client(client, doctor):
    client.force_login(doctor.user)
    return client


@pytest.fixture
def patient_client(client, patient):
    client.force_login(patient.user)
    return client
