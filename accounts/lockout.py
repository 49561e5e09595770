"""How django-axes names the account a sign-in attempt was for."""

from __future__ import annotations

import ipaddress

from django.conf import settings

from accounts.models import UserManager


def lockout_username(request, credentials: dict | None) -> str | None:
    """The e-mail tried, in the one case we store e-mails in, so changing the
    letter case does not get around a lockout.
    """
    raw = (credentials or {}).get("username")
    if raw is None and request is not None:
        raw = request.POST.get("username")
    return UserManager.normalize_email(raw) if raw else None


def client_address(request) -> str | None:
    """The address a sign-in came from, as the lockout counts it.

    Behind a reverse proxy (``DJANGO_BEHIND_PROXY``) every request arrives from
    the proxy, so the client is the address the proxy appended to
    X-Forwarded-For: the entry ``HMS_PROXY_COUNT`` from the right. Entries left
    of it were written by the client and are never trusted, so nobody can pick
    the address their failures count against.
    """
    remote = request.META.get("REMOTE_ADDR")
    if not settings.HMS_BEHIND_PROXY:
        return remote
    hops = [h.strip() for h in request.headers.get("x-forwarded-for", "").split(",")]
    hops = [h for h in hops if h]
    count = settings.HMS_PROXY_COUNT
    if count < 1 or len(hops) < count:
        return remote
    try:
        return str(ipaddress.ip_address(hops[-count]))
    except ValueError:
        return remote
