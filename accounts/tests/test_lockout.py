"""Brute force: one e-mail from one address is locked after 5 failed sign-ins."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from accounts.tests.test_login import _page

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")


def _sign_in(client, email, password, ip="10.0.0.1"):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=ip)


def _fail(client, email, times=5, ip="10.0.0.1"):
    for n in range(1, times + 1):
        response = _sign_in(client, email, "wrong-password-123", ip)
        # The form again with its error; the fifth failure locks at once.
        assert response.status_code == (429 if n == 5 else 200)


def test_it_locks_an_email_and_address_after_five_failures(client, patient, password):
    _fail(client, patient.user.email)

    response = _sign_in(client, patient.user.email, password)

    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.text
    assert "_auth_user_id" not in client.session


def test_it_lets_the_right_password_in_before_the_limit(client, patient, password):
    _fail(client, patient.user.email, times=4)

    response = _sign_in(client, patient.user.email, password)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(patient.user.pk)


def test_it_locks_only_that_email_from_that_address(client, patient, password):
    _fail(client, patient.user.email)

    from_elsewhere = _sign_in(client, patient.user.email, password, ip="10.0.0.2")

    assert from_elsewhere.status_code == 302


def test_it_unlocks_after_fifteen_minutes(client, patient, password, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    _fail(client, patient.user.email)
    time_machine.shift(timedelta(minutes=14))
    assert _sign_in(client, patient.user.email, password).status_code == 429

    time_machine.shift(timedelta(minutes=2))

    assert _sign_in(client, patient.user.email, password).status_code == 302


def test_it_lets_an_admin_unlock_in_the_django_admin(client, admin_client, patient, password):
    from axes.models import AccessAttempt

    other = client.__class__()
    _fail(other, patient.user.email)
    attempt = AccessAttempt.objects.get()

    page = admin_client.get(reverse("admin:axes_accessattempt_changelist"))
    admin_client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )

    assert patient.user.email in page.text
    assert not AccessAttempt.objects.exists()
    assert _sign_in(other, patient.user.email, password).status_code == 302


def test_it_is_not_fooled_by_another_letter_case(client, patient, password):
    _fail(client, patient.user.email.upper())

    response = _sign_in(client, patient.user.email, password)

    assert response.status_code == 429


def test_it_does_not_lock_other_people_at_the_same_address(client, patient, password):
    from accounts.tests.factories import UserFactory

    _fail(client, UserFactory().email)

    assert _sign_in(client, patient.user.email, password).status_code == 302


def test_it_answers_a_locked_account_the_same_whatever_the_password(client, patient, password):
    _fail(client, patient.user.email)

    right = _sign_in(client, patient.user.email, password)
    wrong = _sign_in(client, patient.user.email, "another-wrong-one-9")

    assert right.status_code == wrong.status_code == 429
    assert _page(right) == _page(wrong)
    assert "_auth_user_id" not in client.session


def _via_proxy(client, email, password, forwarded):
    return client.post(
        LOGIN,
        {"username": email, "password": password},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_it_locks_the_forwarded_address_behind_a_proxy(client, patient, password, settings):
    settings.HMS_BEHIND_PROXY = True
    email = patient.user.email
    for n in range(1, 6):
        response = _via_proxy(client, email, "wrong-password-123", "203.0.113.7")
        assert response.status_code == (429 if n == 5 else 200)

    locked = _via_proxy(client, email, password, "203.0.113.7")
    other = _via_proxy(client, email, password, "198.51.100.9")

    assert locked.status_code == 429
    assert other.status_code == 302  # another client behind the same proxy signs in
    assert AccessAttempt.objects.get().ip_address == "203.0.113.7"


def test_it_trusts_only_the_address_the_proxy_appended(client, patient, password, settings):
    settings.HMS_BEHIND_PROXY = True
    email = patient.user.email
    # The client writes addresses of its own on the left; the proxy appends its real one.
    for n, spoofed in enumerate(["6.6.6.1", "6.6.6.2", "6.6.6.3", "6.6.6.4", "6.6.6.5"], 1):
        response = _via_proxy(client, email, "wrong-password-123", f"{spoofed}, 203.0.113.7")
        assert response.status_code == (429 if n == 5 else 200)

    assert _via_proxy(client, email, password, "203.0.113.7").status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}


def test_it_ignores_forwarded_addresses_without_a_proxy(client, patient, password):
    for forwarded in ["203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4", "203.0.113.5"]:
        _via_proxy(client, patient.user.email, "wrong-password-123", forwarded)

    response = _via_proxy(client, patient.user.email, password, "198.51.100.9")

    assert response.status_code == 429  # every try came from 127.0.0.1


def test_it_says_how_long_the_lock_lasts_in_minutes(client, patient, password):
    _fail(client, patient.user.email)

    response = _sign_in(client, patient.user.email, password)

    text = " ".join(response.text.split())
    assert "is locked for 15 minutes after several wrong passwords" in text
    assert "PT15M" not in text
