"""appointment_actions: what each person may do with one appointment now."""

import pytest

from accounts.tests.factories import AdminFactory, ReceptionFactory
from clinic.tests.factories import PatientFactory
from scheduling import services
from scheduling.tests.factories import book, local

pytestmark = pytest.mark.django_db

FIELDS = ("can_cancel", "can_reschedule", "can_attend", "can_record", "can_check_in", "can_call")


def _allowed(appointment, user, now):
    actions = appointment.appointment_actions(user, local(now))
    return {name for name in FIELDS if getattr(actions, name)}


def test_it_answers_for_each_role_before_and_after_check_in(open_doctor, patient):
    appointment = book(patient, open_doctor, local("2026-12-01 11:00"))
    desk, admin, stranger = ReceptionFactory(), AdminFactory(), PatientFactory().user

    assert _allowed(appointment, patient.user, "2026-12-01 08:30") == {
        "can_cancel",
        "can_reschedule",
    }
    assert _allowed(appointment, patient.user, "2026-12-01 09:30") == set()  # inside the cutoff
    assert appointment.appointment_actions(
        patient.user, local("2026-12-01 09:30")
    ).too_late_to_change
    assert _allowed(appointment, desk, "2026-12-01 09:30") == {
        "can_cancel",
        "can_reschedule",
        "can_check_in",
    }
    assert _allowed(appointment, open_doctor.user, "2026-12-01 09:30") == {"can_cancel"}
    assert _allowed(appointment, open_doctor.user, "2026-12-01 11:05") == {
        "can_cancel",
        "can_attend",
        "can_record",
    }
    assert _allowed(appointment, stranger, "2026-12-01 08:30") == set()

    services.appointment_check_in(appointment=appointment, by=desk, now=local("2026-12-01 10:30"))
    appointment.refresh_from_db()

    # Checked in: the doctor may see them before the booked time, and call them.
    assert _allowed(appointment, open_doctor.user, "2026-12-01 10:35") == {
        "can_attend",
        "can_record",
        "can_call",
    }
    assert _allowed(appointment, desk, "2026-12-01 10:35") == set()
    assert _allowed(appointment, admin, "2026-12-01 10:35") == {"can_attend", "can_call"}
    assert _allowed(appointment, patient.user, "2026-12-01 10:35") == set()
