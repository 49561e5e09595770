"""How django-axes names the account a sign-in attempt was for."""

from __future__ import annotations

from accounts.models import UserManager


def lockout_username(request, credentials: dict | None) -> str | None:
    """The e-mail tried, in the one case we store e-mails in, so changing the
    letter case does not get around a lockout.
    """
    raw = (credentials or {}).get("username")
    if raw is None and request is not None:
        raw = request.POST.get("username")
    return UserManager.normalize_email(raw) if raw else None
