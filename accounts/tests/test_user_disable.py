import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.test import Client

from accounts.services import user_disable, user_enable
from accounts.tests.factories import AdminFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_it_disables_with_a_reason(client, password):
    person, admin = UserFactory(), AdminFactory()

    user_disable(user=person, reason="  Abusive calls  ", by=admin)

    person.refresh_from_db()
    assert not person.is_active
    assert person.disabled_reason == "Abusive calls"
    assert not client.login(request=HttpRequest(), username=person.email, password=password)


def test_it_needs_a_reason():
    person = UserFactory()

    with pytest.raises(ValidationError) as error:
        user_disable(user=person, reason=" ", by=AdminFactory())

    assert error.value.message_dict == {"reason": ["Give a reason for disabling this account."]}
    person.refresh_from_db()
    assert person.is_active


def test_it_refuses_to_disable_ones_own_account():
    admin = AdminFactory()

    with pytest.raises(ValidationError, match="You cannot disable your own account"):
        user_disable(user=admin, reason="Oops", by=admin)

    admin.refresh_from_db()
    assert admin.is_active


def test_it_enables_and_clears_the_reason(client, password):
    person, admin = UserFactory(), AdminFactory()
    user_disable(user=person, reason="Left", by=admin)

    user_enable(user=person, by=admin)

    person.refresh_from_db()
    assert person.is_active
    assert person.disabled_reason == ""
    assert client.login(request=HttpRequest(), username=person.email, password=password)


def test_it_ends_the_persons_open_sessions_and_no_one_elses(client):
    person, admin = UserFactory(), AdminFactory()
    client.force_login(person)
    other_browser = Client()
    other_browser.force_login(admin)

    user_disable(user=person, reason="Left", by=admin)

    sessions = [s.get_decoded().get(SESSION_KEY) for s in Session.objects.all()]
    assert sessions == [str(admin.pk)]
