"""The Django admin's appointment and waitlist lists find a patient by the one
patient search (name, e-mail, phone digits, patient number), as every page does,
and a doctor by name.
"""

from datetime import date

import pytest

from clinic.tests.factories import DoctorFactory, PatientFactory
from scheduling.tests.factories import book, local, open_every_day
from scheduling.waitlist import waitlist_join

pytestmark = pytest.mark.django_db

APPOINTMENTS = "/admin/scheduling/appointment/"
WAITLIST = "/admin/scheduling/waitlistentry/"


@pytest.fixture
def people(clinic_now):
    doctor = DoctorFactory(last_name="Zephyrine")
    open_every_day(doctor)
    wanted = PatientFactory(phone="+919845000001")
    other = PatientFactory(phone="+919811112222")
    book(wanted, doctor, local("2026-12-02 09:00"))
    book(other, doctor, local("2026-12-02 09:15"))
    return doctor, wanted, other


def _found(client, url, term) -> set[int]:
    response = client.get(url, {"q": term})
    assert response.status_code == 200
    return {row.patient_id for row in response.context["cl"].result_list}


@pytest.mark.parametrize("term", ["98450 00001", "+91-98450-00001", "9845000001"])
def test_it_finds_the_patients_appointments_by_phone_digits(admin_client, people, term):
    _, wanted, _ = people

    assert _found(admin_client, APPOINTMENTS, term) == {wanted.pk}


def test_it_finds_the_patients_appointments_by_patient_number(admin_client, people):
    _, wanted, _ = people

    assert _found(admin_client, APPOINTMENTS, wanted.patient_number) == {wanted.pk}
    assert _found(admin_client, APPOINTMENTS, str(wanted.pk)) == {wanted.pk}


def test_it_finds_the_patients_appointments_by_name_and_email(admin_client, people):
    _, wanted, _ = people
    name = f"{wanted.user.first_name} {wanted.user.last_name}"

    assert wanted.pk in _found(admin_client, APPOINTMENTS, name)
    assert _found(admin_client, APPOINTMENTS, wanted.user.email) == {wanted.pk}


def test_it_still_finds_a_doctors_appointments_by_the_doctors_name(admin_client, people):
    _, wanted, other = people

    assert _found(admin_client, APPOINTMENTS, "Zephyr") == {wanted.pk, other.pk}


def test_it_finds_nothing_for_a_patient_number_nobody_has(admin_client, people):
    assert _found(admin_client, APPOINTMENTS, "P999999") == set()


def test_it_finds_the_patients_waitlist_entry_by_phone_and_patient_number(
    admin_client, admin_user, people
):
    doctor, wanted, other = people
    for patient in (wanted, other):
        waitlist_join(
            patient=patient,
            doctor=doctor,
            first_day=date(2026, 12, 3),
            last_day=date(2026, 12, 4),
            by=admin_user,
        )

    assert _found(admin_client, WAITLIST, "98450 00001") == {wanted.pk}
    assert _found(admin_client, WAITLIST, wanted.patient_number) == {wanted.pk}
