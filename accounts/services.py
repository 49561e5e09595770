"""Writes on people's accounts. Views, admin actions and commands call these."""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import datetime, timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import get_supported_language_variant, gettext_lazy
from django.utils.translation import gettext as _

from accounts.models import ApiToken, User, UserManager
from accounts.roles import Role
from hms.phones import normalize_phone

logger = logging.getLogger(__name__)

EMAIL_TAKEN = gettext_lazy("A person with this e-mail address is already registered.")


def _save_with_unique_email(user: User) -> User:
    """Validate and save ``user``; an e-mail already used, in any letter case,
    is an error on the e-mail field.
    """
    user.email = UserManager.normalize_email(user.email)
    if user.email and User.objects.filter(email__iexact=user.email).exclude(pk=user.pk).exists():
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
    email: str | None,
    first_name: str,
    last_name: str,
    role: Role,
    password: str | None = None,
    phone: str = "",
) -> User:
    """Create a person with one role.

    Admins are made staff so they can use the Django admin site; reception,
    doctors and patients never are. Without a password the account cannot be
    signed in to until a password is set through a reset link. Only a
    patient may go without an e-mail (registered at the front desk): they
    cannot sign in until staff add one. The phone, if any, is checked and
    stored in E.164 (``hms.phones``), the one rule of every form and the API.
    """
    if not UserManager.normalize_email(email) and role != Role.PATIENT:
        raise ValidationError({"email": _("An e-mail address is required.")})
    user = User(
        email=UserManager.normalize_email(email),
        first_name=first_name,
        last_name=last_name,
        phone=normalize_phone(phone),
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
        raise ValidationError({"reason": _("Give a reason for disabling this account.")})
    if user.pk == by.pk:
        raise ValidationError(_("You cannot disable your own account."))
    user.is_active = False
    user.disabled_reason = reason[: User._meta.get_field("disabled_reason").max_length]
    user.full_clean(exclude=["password"])
    user.save(update_fields=["is_active", "disabled_reason"])
    _end_sessions(user)
    api_tokens_revoke_all(user=user)
    logger.info("user %s disabled by %s: %s", user.pk, by.pk, user.disabled_reason)
    return user


CACHED_DB_SESSIONS = "django.contrib.sessions.backends.cached_db"
DATABASE_SESSION_ENGINES = ("django.contrib.sessions.backends.db", CACHED_DB_SESSIONS)


def _end_sessions(user: User) -> None:
    # Database sessions are not indexed by user, so the live ones are read;
    # disabling someone is rare enough for that. Sessions read from the cache
    # (cached_db) are dropped there too once the change is committed.
    engine = settings.SESSION_ENGINE
    if engine not in DATABASE_SESSION_ENGINES:
        return
    live = Session.objects.filter(expire_date__gt=timezone.now())
    ended = [
        session.pk
        for session in live.iterator()
        if session.get_decoded().get(SESSION_KEY) == str(user.pk)
    ]
    Session.objects.filter(pk__in=ended).delete()
    if engine == CACHED_DB_SESSIONS:
        store = import_module(engine).SessionStore
        keys = [store(session_key=key).cache_key for key in ended]
        transaction.on_commit(lambda: caches[settings.SESSION_CACHE_ALIAS].delete_many(keys))


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
def user_update(
    *, user: User, first_name: str, last_name: str, email: str | None, phone: str
) -> User:
    """Change a person's name and contact details; the e-mail stays unique
    and the phone is stored in E.164 (``hms.phones``).
    """
    phone = normalize_phone(phone)
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
def reception_create(*, email: str, first_name: str, last_name: str, phone: str = "") -> User:
    """An admin creates a receptionist's account; they choose their password
    through the invitation (``clinic.services.account_invite``), never one the admin knew.
    """
    return user_create(
        email=email, first_name=first_name, last_name=last_name, phone=phone, role=Role.RECEPTION
    )


# API tokens

TOKEN_PREFIX = "hms_"  # noqa: S105 - a marker, not a secret
# A token's last use is written at most this often (not on every request).
LAST_USED_EVERY = timedelta(minutes=5)


def _token_hash(raw: str) -> str:
    # The token is 256 random bits, so a plain hash is as good as a slow one.
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_issue(
    *, user: User, name: str = "", now: datetime | None = None
) -> tuple[ApiToken, str]:
    """A new bearer token for ``user``; returns the row and the token, shown once.

    It expires after ``HMS_API_TOKEN_DAYS`` days and ends earlier when revoked,
    when the account is disabled or when its password changes.
    """
    now = now or timezone.now()
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[: ApiToken._meta.get_field("name").max_length],
        key_hash=_token_hash(raw),
        prefix=raw[: len(TOKEN_PREFIX) + 6],
        auth_hash=user.get_session_auth_hash(),
        created_at=now,
        expires_at=now + timedelta(days=settings.HMS_API_TOKEN_DAYS),
    )
    return token, raw


def api_token_revoke(*, token: ApiToken, now: datetime | None = None) -> ApiToken:
    """End one token now (a second revoke keeps the first time)."""
    ApiToken.objects.filter(pk=token.pk, revoked_at=None).update(revoked_at=now or timezone.now())
    token.refresh_from_db(fields=["revoked_at"])
    return token


def api_token_revoke_key(*, user: User, raw: str, now: datetime | None = None) -> int:
    """End the token ``raw`` of ``user`` (signing out of the API)."""
    return ApiToken.objects.filter(user=user, key_hash=_token_hash(raw), revoked_at=None).update(
        revoked_at=now or timezone.now()
    )


def api_tokens_revoke_all(*, user: User, now: datetime | None = None) -> int:
    return ApiToken.objects.filter(user=user, revoked_at=None).update(
        revoked_at=now or timezone.now()
    )


def api_token_user(*, raw: str, now: datetime | None = None) -> User | None:
    """The active person a bearer token belongs to, or None if it opens nothing.

    A token issued before the account's password changed is revoked here, the
    first time it is shown again.
    """
    now = now or timezone.now()
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.live(now)
        .select_related("user")
        .filter(key_hash=_token_hash(raw), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    user = token.user
    if not secrets.compare_digest(token.auth_hash, user.get_session_auth_hash()):
        api_token_revoke(token=token, now=now)
        return None
    if token.last_used_at is None or token.last_used_at < now - LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return user


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


def _language_code(language: str | None) -> str:
    """The code of settings.LANGUAGES that ``language`` is ("hi-IN" is "hi"), or ""."""
    try:
        return get_supported_language_variant(language or "")
    except LookupError:
        return ""


@transaction.atomic
def user_set_language(*, user: User, language: str | None) -> User:
    """Keep ``language`` (one of settings.LANGUAGES) as the person's own: their
    pages once signed in, on any device, and every e-mail and notice to them.
    A code HMS does not offer is refused.
    """
    code = _language_code(language)
    if not code:
        raise ValidationError(
            {"preferred_language": _("Choose one of the languages offered.")}, code="invalid"
        )
    if user.preferred_language != code:
        user.preferred_language = code
        user.save(update_fields=["preferred_language"])
    return user
