"""Two-factor sign-in: enrol with an authenticator, sign in with its code or a
single-use recovery code; wrong codes count towards the lockout; roles that
require it reach no page, the Django admin included, without it."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from accounts.tests.factories import AdminFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clock(time_machine):
    """A frozen clock: a TOTP code works once per 30-second step, so each test
    moves on a step before using a new one (``_next_step``)."""
    time_machine.move_to(timezone.now(), tick=False)
    return time_machine


def _next_step(clock) -> None:
    clock.shift(timedelta(seconds=30))


LOGIN = reverse("accounts:login")
CODE = reverse("accounts:login-code")
SETTINGS = reverse("accounts:two-factor")


def _now_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _enrol(client, user) -> tuple[TOTPDevice, list[str]]:
    client.force_login(user)
    page = client.get(SETTINGS)
    assert "<svg" in page.text  # the QR code, drawn here
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(SETTINGS, {"action": "confirm", "confirm-token": _now_code(device)})
    assert response.status_code == 200
    codes = re.findall(r"<li>([a-z0-9]{8,})</li>", response.text)
    client.logout()
    device.refresh_from_db()
    return device, codes


def _code_later(clock, device) -> str:
    _next_step(clock)
    return _now_code(device)


def _password(client, user, password):
    return client.post(LOGIN, {"username": user.email, "password": password})


def test_it_enrols_an_authenticator_with_recovery_codes(client, password):
    person = UserFactory()

    device, codes = _enrol(client, person)

    assert device.confirmed
    assert len(codes) == two_factor.RECOVERY_CODE_COUNT
    assert two_factor.is_enrolled(person)


def test_it_refuses_to_enrol_with_a_wrong_code(client):
    person = UserFactory()
    client.force_login(person)
    client.get(SETTINGS)

    response = client.post(SETTINGS, {"action": "confirm", "confirm-token": "000000x"})

    assert response.status_code == 422
    assert str(two_factor.WRONG_CODE) in response.text
    assert not two_factor.is_enrolled(person)


def test_it_asks_for_the_code_after_the_password(clock, client, password):
    person = UserFactory()
    device, _ = _enrol(client, person)

    after_password = _password(client, person, password)
    assert after_password["Location"] == CODE
    assert "_auth_user_id" not in client.session

    response = client.post(CODE, {"token": _code_later(clock, device)})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(person.pk)


def test_it_signs_in_with_a_recovery_code_once(client, password):
    person = UserFactory()
    _, codes = _enrol(client, person)

    _password(client, person, password)
    first = client.post(CODE, {"token": codes[0]})
    client.logout()
    _password(client, person, password)
    again = client.post(CODE, {"token": codes[0]})

    assert first.status_code == 302
    assert again.status_code == 200
    assert str(two_factor.WRONG_CODE) in again.text
    assert "_auth_user_id" not in client.session


def test_it_counts_wrong_codes_towards_the_lockout(clock, client, password):
    person = UserFactory()
    device, _ = _enrol(client, person)
    _password(client, person, password)

    answers = [client.post(CODE, {"token": "123456"}).status_code for _ in range(5)]
    right = client.post(CODE, {"token": _code_later(clock, device)})

    assert answers[:4] == [200] * 4
    assert answers[4] == 429
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_it_turns_two_factor_off_with_a_code(clock, client, password):
    person = UserFactory()
    device, _ = _enrol(client, person)
    _password(client, person, password)
    client.post(CODE, {"token": _code_later(clock, device)})

    response = client.post(
        SETTINGS, {"action": "disable", "disable-token": _code_later(clock, device)}
    )

    assert response.status_code == 302
    assert not two_factor.is_enrolled(person)


def test_it_sends_a_required_role_without_an_authenticator_to_enrol(client, settings):
    settings.HMS_2FA_REQUIRED_ROLES = {"admin"}
    admin = AdminFactory()
    client.force_login(admin)

    home = client.get(reverse("reports:admin-home"))
    django_admin = client.get(reverse("admin:index"))

    assert home.status_code == django_admin.status_code == 302
    assert home["Location"].startswith(SETTINGS)
    assert django_admin["Location"].startswith(SETTINGS)


def test_it_asks_an_enrolled_admin_for_the_code_before_the_django_admin(
    clock, client, password, settings
):
    settings.HMS_2FA_REQUIRED_ROLES = {"admin"}
    admin = AdminFactory()
    device, _ = _enrol(client, admin)
    client.force_login(admin)  # a session without the second factor

    refused = client.get(reverse("admin:index"))
    client.post(CODE + "?next=/admin/", {"token": _code_later(clock, device)})
    allowed = client.get(reverse("admin:index"))

    assert refused.status_code == 302
    assert refused["Location"].startswith(CODE)
    assert allowed.status_code == 200


def test_it_signs_in_to_the_django_admin_only_through_the_two_step_page(client):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response["Location"] == LOGIN + "?next=/admin/"


def test_it_keeps_two_factor_optional_for_other_roles(client, settings, patient):
    settings.HMS_2FA_REQUIRED_ROLES = {"admin"}
    client.force_login(patient.user)

    assert client.get(reverse("scheduling:patient-home")).status_code == 200
