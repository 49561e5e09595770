import io

import pytest
from django.core.management import call_command

from accounts.models import User
from accounts.roles import Role
from clinic.demo import DEMO_PASSWORD
from clinic.models import Department, Doctor, Patient, PrescriptionItem, Treatment
from scheduling.models import Appointment, WeeklyAvailability

pytestmark = pytest.mark.django_db


def _counts():
    return (
        User.objects.count(),
        Department.objects.count(),
        Doctor.objects.count(),
        Patient.objects.count(),
        WeeklyAvailability.objects.count(),
        Appointment.objects.filter(status="booked").count(),
        Appointment.objects.exclude(status="booked").count(),
        Treatment.objects.count(),
        PrescriptionItem.objects.count(),
        Appointment.objects.filter(status="completed", treatment=None).count(),
    )


def _seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_it_gives_the_same_counts_when_run_twice():
    first = _seed()
    counts = _counts()
    second = _seed()

    assert counts == (9, 4, 4, 3, 44, 3, 15, 9, 18, 0)
    assert _counts() == counts
    assert first == second


def test_it_prints_logins_that_reach_each_role_home(client):
    output = _seed()

    for email, role in [
        ("admin@hms.local", Role.ADMIN),
        ("desk@hms.local", Role.RECEPTION),
        ("asha.rao@hms.local", Role.DOCTOR),
        ("priya.sharma@example.com", Role.PATIENT),
    ]:
        assert email in output
        assert User.objects.get(email=email).role == role
        response = client.post(
            "/accounts/login/", {"username": email, "password": DEMO_PASSWORD}, follow=True
        )
        assert response.status_code == 200
        assert (
            response.redirect_chain[-1][0]
            .rstrip("/")
            .endswith(
                {
                    "admin": "/hospital",
                    "reception": "/desk",
                    "doctor": "/doctor",
                    "patient": "/patient",
                }[role]
            )
        )
        client.post("/accounts/logout/")
