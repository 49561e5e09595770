import pytest
import time_machine

from scheduling.tests.factories import local, open_every_day

# A Tuesday morning in the clinic, before opening.
NOW = "2026-12-01 08:00"


@pytest.fixture
def clinic_now():
    with time_machine.travel(local(NOW), tick=False) as traveller:
        yield traveller


@pytest.fixture
def open_doctor(doctor, clinic_now):
    """A doctor in 15-minute slots, 09:00-13:00 every day, at 08:00 on Tuesday 1 Dec 2026."""
    open_every_day(doctor)
    return doctor
