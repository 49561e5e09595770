"""The role is read from the groups once per session and kept there; a change
to the person's groups is seen on their next request.
"""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from accounts.tests.factories import AdminFactory, UserFactory

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("dashboard")


def _group_queries(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if "auth_group" in q["sql"]]


def test_it_reads_no_groups_on_the_requests_of_a_session(client):
    person = UserFactory(role=Role.PATIENT)
    client.force_login(person)

    with CaptureQueriesContext(connection) as captured:
        first = client.get(DASHBOARD)
        second = client.get(DASHBOARD)

    assert first.url == second.url == reverse("scheduling:patient-home")
    assert _group_queries(captured) == []


def test_it_sees_the_new_role_when_an_admin_changes_the_group(client):
    person = UserFactory(role=Role.PATIENT)
    client.force_login(person)
    assert client.get(DASHBOARD).url == reverse("scheduling:patient-home")
    admin = Client()
    admin.force_login(AdminFactory())

    response = admin.post(
        reverse("admin:accounts_user_change", args=[person.pk]),
        {
            "email": person.email,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "phone": "",
            "is_active": "on",
            "disabled_reason": "",
            "groups": [Group.objects.get(name=Role.DOCTOR.group_name).pk],
        },
    )

    assert response.status_code == 302, response.context["adminform"].errors
    assert client.get(DASHBOARD).url == reverse("scheduling:doctor-home")


def test_it_sees_a_change_made_from_the_groups_side(client):
    person = UserFactory(role=Role.PATIENT)
    client.force_login(person)
    client.get(DASHBOARD)

    Group.objects.get(name=Role.PATIENT.group_name).user_set.remove(person)
    Group.objects.get(name=Role.ADMIN.group_name).user_set.add(person)

    assert client.get(DASHBOARD).url == reverse("reports:admin-home")


def test_it_keeps_the_new_version_when_the_person_is_saved_after_a_change(client):
    person = UserFactory(role=Role.PATIENT)
    client.force_login(person)
    client.get(DASHBOARD)

    person.groups.set([Group.objects.get(name=Role.DOCTOR.group_name)])
    person.save()  # must not write the old groups version back

    assert client.get(DASHBOARD).url == reverse("scheduling:doctor-home")
