"""Who is calling: a bearer token (``Authorization: Bearer hms_...``) or, for
same-origin calls from the pages, the session cookie with its CSRF token.
"""

from __future__ import annotations

from auditlog.context import auditlog_value
from django.conf import settings
from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer

from accounts.services import api_token_user


class BearerToken(HttpBearer):
    """An API token from ``POST /api/v1/auth/token``; never in a URL."""

    def authenticate(self, request: HttpRequest, token: str):
        user = api_token_user(raw=token)
        if user is None:
            return None
        request.user = user
        request.api_token = token
        _audit_as(user)
        return user


def _audit_as(user) -> None:
    """Name the token's person on this request's audit-log entries.

    The audit-log middleware read the (then anonymous) user before the token
    was checked; its context for this request is updated in place.
    """
    try:
        context = auditlog_value.get()
    except LookupError:
        return
    context["actor"] = user


class Session(APIKeyCookie):
    """The signed-in person's session; unsafe methods need the CSRF token."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request: HttpRequest, key: str | None):
        user = request.user
        return user if user.is_authenticated and user.is_active else None


def bearer_from_header(request: HttpRequest) -> str | None:
    """The bearer token of a request, for FHIR (which is not a ninja API)."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()
