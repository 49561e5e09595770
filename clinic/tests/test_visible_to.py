"""Role-scoped querysets: who sees which departments, doctors and patients."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from clinic.models import Department, Doctor, Patient
from clinic.tests.factories import DepartmentFactory, DoctorFactory, PatientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory():
    closed = DepartmentFactory(is_active=False)
    return {
        "open": DoctorFactory(),
        "disabled": DoctorFactory(disabled=True),
        "closed": DoctorFactory(department=closed),
        "closed_department": closed,
    }


def test_it_shows_admins_every_department_and_doctor(admin_user, directory):
    assert Department.objects.visible_to(admin_user).count() == 3
    assert Doctor.objects.visible_to(admin_user).count() == 3


@pytest.mark.parametrize("person", ["doctor", "patient"])
def test_it_shows_others_only_listed_departments_and_doctors(request, directory, person):
    user = request.getfixturevalue(person).user

    departments = Department.objects.visible_to(user)
    doctors = set(Doctor.objects.visible_to(user))

    assert directory["closed_department"] not in departments
    assert directory["open"] in doctors
    assert directory["disabled"] not in doctors
    assert directory["closed"] not in doctors


def test_it_shows_a_patient_only_themself(patient):
    PatientFactory()

    assert list(Patient.objects.visible_to(patient.user)) == [patient]


def test_it_shows_a_doctor_only_the_patients_they_have_seen(doctor):
    seen, other = PatientFactory(), PatientFactory()
    start = timezone.now() - datetime.timedelta(days=3)
    # Appointments belong to scheduling; reached through the reverse relation.
    seen.appointments.create(doctor=doctor, start=start, end=start + datetime.timedelta(minutes=15))
    seen.appointments.create(
        doctor=doctor,
        start=start + datetime.timedelta(days=1),
        end=start + datetime.timedelta(days=1, minutes=15),
    )
    other.appointments.create(
        doctor=DoctorFactory(), start=start, end=start + datetime.timedelta(minutes=15)
    )

    assert list(Patient.objects.visible_to(doctor.user)) == [seen]


def test_it_shows_anonymous_people_no_patients(patient):
    assert not Patient.objects.visible_to(AnonymousUser()).exists()
