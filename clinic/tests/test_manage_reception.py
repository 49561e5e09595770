"""Admins create front-desk accounts; the receptionist is invited by e-mail."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from accounts.tests.factories import ReceptionFactory

pytestmark = pytest.mark.django_db

URL = reverse("clinic:manage-reception-create")


def test_it_creates_a_receptionist_and_e_mails_an_invitation(
    admin_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            URL, {"first_name": "Kavya", "last_name": "Menon", "email": "Kavya@HMS.example"}
        )

    user = User.objects.get(email="kavya@hms.example")
    assert response.status_code == 302
    assert user.role == Role.RECEPTION
    assert not user.is_staff
    assert not user.has_usable_password()
    assert [m.to for m in mail.outbox] == [["kavya@hms.example"]]
    listing = admin_client.get(reverse("clinic:manage-reception-list"))
    assert "Kavya Menon" in listing.text


def test_it_refuses_an_e_mail_in_use_and_a_missing_one(admin_client):
    ReceptionFactory(email="desk@hms.example")

    taken = admin_client.post(
        URL, {"first_name": "A", "last_name": "B", "email": "DESK@hms.example"}
    )
    missing = admin_client.post(URL, {"first_name": "A", "last_name": "B", "email": ""})

    assert "already registered" in taken.text
    assert "This field is required." in missing.text
    assert User.objects.filter(groups__name="Reception").count() == 1
