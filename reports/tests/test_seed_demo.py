import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from clinic.demo import DEMO_PASSWORD
from clinic.models import Department, Doctor, Patient, PrescriptionItem, Treatment
from scheduling.models import Appointment, WeeklyAvailability
from scheduling.tests.factories import local

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

    # Users: the admin, 4 doctors, 3 demo patients, 8 patients of the day and
    # the receptionist.
    assert counts[:5] == (17, 4, 4, 11, 44)
    assert counts[-1] == 0  # every completed visit has its record
    assert _counts() == counts
    assert first == second


# The extremes of a day, a morning before the doctors' hours, midday, late evening.
CLOCKS = ["00:10", "07:00", "13:00", "23:30", "23:55"]


@pytest.mark.parametrize("clock", CLOCKS)
def test_it_gives_every_doctor_a_busy_day_at_any_hour(clock, time_machine):
    now = local(f"2026-12-01 {clock}")
    time_machine.move_to(now, tick=False)
    _seed()

    today = timezone.localdate()
    for doctor in Doctor.objects.all():
        visits = Appointment.objects.filter(doctor=doctor)
        on = {
            day: [a for a in visits if timezone.localdate(a.start) == day]
            for day in (today + timedelta(days=n) for n in range(-7, 2))
        }
        started = [a for a in on[today] if a.status in ("booked", "arrived") and a.start <= now]
        assert started, f"{doctor} has no started visit at {clock}"
        assert all(a.completion_refusal(by=doctor.user, now=now) is None for a in started)
        arrived = [a for a in on[today] if a.status == "arrived"]
        assert len(arrived) == 1, f"{doctor}: {arrived} checked in at {clock}"
        assert arrived[0].start <= now  # only a visit that has started
        assert arrived[0].token == 1
        assert any(a.status == "booked" for a in on[today + timedelta(days=1)])
        for days_ago in range(1, 8):
            day = today - timedelta(days=days_ago)
            assert any(a.status != "booked" for a in on[day]), f"{doctor}: nothing on {day}"


@pytest.mark.parametrize("clock", ["07:00", "13:00", "23:30"])
def test_it_is_idempotent_at_any_hour(clock, time_machine):
    time_machine.move_to(local(f"2026-12-01 {clock}"), tick=False)
    _seed()
    counts = _counts()
    arrived = Appointment.objects.filter(status="arrived").count()

    _seed()

    assert _counts() == counts
    assert Appointment.objects.filter(status="arrived").count() == arrived == 4


@pytest.mark.parametrize("clock", ["07:00", "13:00", "23:30"])
def test_the_front_desk_day_shows_arrived_only_for_started_visits(clock, time_machine, client):
    now = local(f"2026-12-01 {clock}")
    time_machine.move_to(now, tick=False)
    _seed()
    client.post("/accounts/login/", {"username": "desk@hms.local", "password": DEMO_PASSWORD})

    response = client.get("/desk/")

    assert response.status_code == 200
    assert "Arrived" in response.text
    for appointment in Appointment.objects.filter(status="arrived"):
        assert appointment.start <= now


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
