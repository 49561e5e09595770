import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError

from accounts.models import User
from accounts.roles import Role
from accounts.tests.factories import AdminFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_it_keeps_emails_unique_regardless_of_case_in_the_database():
    User(email="Asha@Example.com", first_name="A", last_name="R").save()

    with pytest.raises(IntegrityError):
        User(email="asha@example.com", first_name="B", last_name="S").save()


def test_it_stores_emails_in_lower_case():
    user = UserFactory(email="  Asha.Rao@Example.COM ")

    assert user.email == "asha.rao@example.com"


def test_it_reads_each_role_from_its_group():
    assert AdminFactory().role == Role.ADMIN
    assert UserFactory(role=Role.DOCTOR).role == Role.DOCTOR
    assert UserFactory(role=Role.PATIENT).role == Role.PATIENT


def test_it_treats_a_superuser_as_an_admin():
    user = User.objects.create_superuser(
        "root@example.com", "x" * 12, first_name="R", last_name="T"
    )

    assert user.role == Role.ADMIN


def test_it_gives_no_role_to_a_person_in_no_group():
    user = User.objects.create_user("plain@example.com", "x" * 12, first_name="P", last_name="L")

    assert user.role is None


def test_it_makes_admins_staff_and_nobody_else():
    assert AdminFactory().is_staff
    assert not UserFactory(role=Role.DOCTOR).is_staff
    assert not UserFactory(role=Role.PATIENT).is_staff


def test_it_creates_the_four_groups_with_their_permissions():
    perms = {
        group.name: set(group.permissions.values_list("codename", flat=True))
        for group in Group.objects.all()
    }

    assert set(perms) == {"Admin", "Reception", "Doctor", "Patient"}
    assert {"view_user", "change_user", "add_doctor", "change_patient"} <= perms["Admin"]
    assert {"view_patient", "view_doctor"} <= perms["Doctor"]
    assert perms["Patient"] == {"view_department", "view_doctor"}
    assert {"view_patient", "add_patient", "change_patient", "add_appointment"} <= perms[
        "Reception"
    ]
    # The front desk never reads clinical records.
    assert not {"view_treatment", "view_prescriptionitem"} & perms["Reception"]
