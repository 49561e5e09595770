"""Two-factor sign-in: a TOTP authenticator app (django-otp) and single-use
recovery codes (django-otp's static device).

Who must use it is a setting, HMS_2FA_REQUIRED_ROLES (a set of role values,
so adding a role is one more name there); anyone else may turn it on. Once a
person has a confirmed authenticator, every sign-in asks for a code after the
password, and a wrong code counts towards the sign-in lockout like a wrong
password.
"""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import devices_for_user, match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"
WRONG_CODE = gettext_lazy("That code is not right (or was already used). Try the current one.")


def required_for(user: User) -> bool:
    """Whether ``user``'s role must sign in with a second factor."""
    role = getattr(user, "role", None)
    return role is not None and role.value in settings.HMS_2FA_REQUIRED_ROLES


def is_enrolled(user: User) -> bool:
    return user_has_device(user, confirmed=True)


@transaction.atomic
def enrolment_start(*, user: User) -> TOTPDevice:
    """The authenticator being set up (not yet confirmed): its secret is drawn once
    and kept until a code from the app confirms it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


def qr_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// link as an inline SVG QR code, drawn here (no
    outside service ever sees the secret)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=5, title=_("Scan this code"))


@transaction.atomic
def enrolment_confirm(*, user: User, token: str) -> list[str]:
    """Confirm the authenticator with a code from it; returns the new recovery
    codes (shown once, stored only as single-use tokens)."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(_digits(token)):
        raise ValidationError({"token": WRONG_CODE})
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    return recovery_codes_renew(user=user)


@transaction.atomic
def recovery_codes_renew(*, user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in codes])
    return codes


@transaction.atomic
def two_factor_disable(*, user: User, token: str):
    """Turn two-factor sign-in off; a current code (or a recovery code) proves it
    is the person. Not allowed for a role that requires it."""
    if required_for(user):
        raise ValidationError(_("Two-factor sign-in is required for your role."))
    if verify(user=user, token=token, request=None) is None:
        raise ValidationError({"token": WRONG_CODE})
    for device in devices_for_user(user, confirmed=None):
        device.delete()


def verify(*, user: User, token: str, request) -> object | None:
    """The device that accepts ``token`` (a recovery code works once), or None.

    A wrong code is a failed sign-in for the lockout (django-axes counts it).
    """
    device = match_token(user, _digits(token)) if token else None
    if device is None and request is not None:
        user_login_failed.send(
            sender=__name__, credentials={"username": user.email}, request=request
        )
    return device


def _digits(token: str) -> str:
    return "".join((token or "").split())
