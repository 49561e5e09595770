"""Availability rows (weekly blocks and exceptions) are read and changed
through role-scoped querysets, like every other record.
"""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.tests.factories import AdminFactory
from clinic.models import Doctor
from clinic.tests.factories import DoctorFactory, PatientFactory
from scheduling import services
from scheduling.models import AvailabilityException, WeeklyAvailability
from scheduling.tests.factories import open_every_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_doctors():
    mine, other = DoctorFactory(), DoctorFactory()
    for doctor in (mine, other):
        open_every_day(doctor)
        services.exception_add(doctor=doctor, date=date(2030, 1, 1), kind="leave")
    return mine, other


@pytest.mark.parametrize("model", [WeeklyAvailability, AvailabilityException])
def test_it_lets_a_doctor_read_and_edit_only_their_own_rows(two_doctors, model):
    mine, _other = two_doctors

    for rows in (model.objects.visible_to(mine.user), model.objects.editable_by(mine.user)):
        assert rows.exists()
        assert set(rows.values_list("doctor", flat=True)) == {mine.pk}


@pytest.mark.parametrize("model", [WeeklyAvailability, AvailabilityException])
def test_it_lets_an_admin_read_and_edit_every_doctors_rows(two_doctors, model):
    admin = AdminFactory()

    assert model.objects.visible_to(admin).count() == model.objects.count()
    assert model.objects.editable_by(admin).count() == model.objects.count()


@pytest.mark.parametrize("model", [WeeklyAvailability, AvailabilityException])
@pytest.mark.parametrize("who", ["patient", "anonymous"])
def test_it_shows_patients_and_strangers_no_rows(two_doctors, model, who):
    user = PatientFactory().user if who == "patient" else AnonymousUser()

    assert not model.objects.visible_to(user).exists()
    assert not model.objects.editable_by(user).exists()


def test_it_names_the_doctors_whose_hours_a_person_may_change(two_doctors):
    mine, other = two_doctors

    assert list(Doctor.objects.hours_editable_by(mine.user)) == [mine]
    assert set(Doctor.objects.hours_editable_by(AdminFactory())) == {mine, other}
    assert not Doctor.objects.hours_editable_by(PatientFactory().user).exists()
