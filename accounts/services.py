"""Writes on people's accounts. Views, admin actions and commands call these."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import User, UserManager
from accounts.roles import Role

logger = logging.getLogger(__name__)

EMAIL_TAKEN = "A person with this e-mail address is already registered."


def _save_with_unique_email(user: User) -> User:
    """Validate and save ``user``; an e-mail already used, in any letter case,
    is an error on the e-mail field.
    """
    if User.objects.filter(email__iexact=user.email).exclude(pk=user.pk).exists():
        raise ValidationError({"email": EMAIL_TAKEN})
    user.full_clean(exclude=["password"])
    try:
        # A savepoint, so a lost race on the same e-mail leaves the caller's
        # transaction usable and becomes the same message as the check above.
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        raise ValidationError({"email": EMAIL_TAKEN}) from exc
    return user


@transaction.atomic
def user_create(
    *,
    email: str,
    first_name: str,
    last_name: str,
    role: Role,
    password: str | None = None,
    phone: str = "",
) -> User:
    """Create a person with one role.

    Admins are made staff so they can use the Django admin site; doctors and
    patients never are. Without a password the account cannot be signed in
    to until a password is set through a reset link.
    """
    user = User(
        email=UserManager.normalize_email(email),
        first_name=first_name,
        last_name=last_name,
        phone=phone,
        is_staff=role == Role.ADMIN,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    _save_with_unique_email(user)
    user.groups.add(Group.objects.get(name=role.group_name))
    return user


@transaction.atomic
def user_disable(*, user: User, reason: str, by: User) -> User:
    """Disable (blacklist) a person: they can no longer sign in or be booked.

    Their open sessions are ended (and would stop working anyway, since
    Django's authentication refuses inactive users); the reason is kept for
    the front desk.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Give a reason for disabling this account."})
    if user.pk == by.pk:
        raise ValidationError("You cannot disable your own account.")
    user.is_active = False
    user.disabled_reason = reason[: User._meta.get_field("disabled_reason").max_length]
    user.full_clean(exclude=["password"])
    user.save(update_fields=["is_active", "disabled_reason"])
    _end_sessions(user)
    logger.info("user %s disabled by %s: %s", user.pk, by.pk, user.disabled_reason)
    return user


def _end_sessions(user: User) -> None:
    # Database sessions are not indexed by user, so the live ones are read;
    # disabling someone is rare enough for that.
    if settings.SESSION_ENGINE != "django.contrib.sessions.backends.db":
        return
    live = Session.objects.filter(expire_date__gt=timezone.now())
    ended = [
        session.pk
        for session in live.iterator()
        if session.get_decoded().get(SESSION_KEY) == str(user.pk)
    ]
    Session.objects.filter(pk__in=ended).delete()


@transaction.atomic
def user_enable(*, user: User, by: User) -> User:
    """Let a disabled person sign in again; the old reason is cleared."""
    user.is_active = True
    user.disabled_reason = ""
    user.full_clean(exclude=["password"])
    user.save(update_fields=["is_active", "disabled_reason"])
    logger.info("user %s enabled by %s", user.pk, by.pk)
    return user


@transaction.atomic
def user_update(*, user: User, first_name: str, last_name: str, email: str, phone: str) -> User:
    """Change a person's name and contact details; the e-mail stays unique."""
    user.first_name = first_name
    user.last_name = last_name
    user.email = UserManager.normalize_email(email)
    user.phone = phone
    return _save_with_unique_email(user)


def password_setup_link(*, user: User, base_url: str) -> str:
    """A link for a person to choose their first password.

    It is Django's password-reset link (a one-time token that stops working
    once the password is set, or after PASSWORD_RESET_TIMEOUT), so an
    account created by an admin never has a password the admin knew.
    """
    path = reverse(
        "accounts:password-reset-confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return base_url.rstrip("/") + path


@transaction.atomic
def user_set_email_preferences(
    *, user: User, email_reminders: bool, email_waitlist_offers: bool
) -> User:
    """Turn the optional e-mails on or off. Confirmations, changes and
    cancellations of appointments are not optional and always go out.
    """
    user.email_reminders = email_reminders
    user.email_waitlist_offers = email_waitlist_offers
    user.save(update_fields=["email_reminders", "email_waitlist_offers"])
    return user
