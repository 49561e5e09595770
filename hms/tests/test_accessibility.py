"""axe-core on the main pages, as each role sees them with some data on them.

Violations of impact "serious" or "critical" fail the test (missing labels,
contrast, landmarks, names of controls); the message lists each element.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.tests.factories import PASSWORD, AdminFactory
from clinic.tests.factories import (
    DepartmentFactory,
    DoctorFactory,
    PatientFactory,
    TreatmentFactory,
)
from devtools.browser import choose_slot, open_booking, serious_accessibility_problems, sign_in
from scheduling.models import Appointment
from scheduling.tests.factories import book, local, open_every_day, past_visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ADMIN = "admin@hms.example"
DOCTOR = "asha.rao@hms.example"
PATIENT = "priya.sharma@example.com"


@pytest.fixture
def clinic():
    """A doctor with hours and one visit of each status, a patient, an admin."""
    AdminFactory(email=ADMIN)
    doctor = DoctorFactory(
        email=DOCTOR,
        first_name="Asha",
        last_name="Rao",
        department=DepartmentFactory(name="Cardiology"),
    )
    open_every_day(doctor, "08:00", "20:00")
    patient = PatientFactory(email=PATIENT, first_name="Priya", last_name="Sharma")
    book(patient, doctor, local(f"{timezone.localdate() + timedelta(days=3)} 10:00"), "Check-up")
    for days_ago, status in enumerate(Appointment.Status.values, start=1):
        if status != Appointment.Status.BOOKED:
            day = timezone.localdate() - timedelta(days=days_ago)
            past_visit(patient, doctor, local(f"{day} 09:00"), status=status)
    TreatmentFactory(patient=patient, doctor=doctor)
    return doctor


def assert_accessible(page):
    problems = serious_accessibility_problems(page)
    assert not problems, f"axe on {page.url}:\n" + "\n".join(problems)


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/accounts/register/"])
def test_it_has_accessible_public_pages(page, path):
    page.goto(path)
    assert_accessible(page)


PAGES = {
    PATIENT: ["/patient/", "/history/", "/profile/", "/departments/"],
    DOCTOR: ["/doctor/", "/availability/", "/visits/walk-in/"],
    ADMIN: ["/hospital/", "/appointments/", "/manage/doctors/", "/manage/patients/"],
}


@pytest.mark.parametrize("email", PAGES)
def test_it_has_accessible_pages_for_each_role(page, clinic, email):
    sign_in(page, email, PASSWORD)
    problems = []
    for path in PAGES[email]:
        page.goto(path)
        page.wait_for_load_state("load")
        problems += [f"{path}: {p}" for p in serious_accessibility_problems(page)]
    assert not problems, "\n".join(problems)


def test_it_has_an_accessible_booking_page_with_a_slot_chosen(page, clinic):
    sign_in(page, PATIENT, PASSWORD)
    open_booking(page, department="Cardiology", doctor="Asha Rao")
    choose_slot(page, 0)
    assert_accessible(page)


def test_it_has_an_accessible_visit_record_form_and_prescription(page, clinic):
    from clinic.models import Patient, Treatment

    patient = Patient.objects.get(user__email=PATIENT)
    sign_in(page, DOCTOR, PASSWORD)
    page.goto(f"/visits/walk-in/{patient.pk}/")
    assert_accessible(page)
    page.goto(f"/visits/{Treatment.objects.get().pk}/prescription/")
    assert_accessible(page)
