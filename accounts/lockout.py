"""How django-axes names the account a sign-in attempt was for."""

from __future__ import annotations

import ipaddress

from axes.helpers import (
    get_client_username,
    get_cool_off,
    get_cool_off_iso8601,
    get_failure_limit,
)
from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

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


# The API's clients get the lockout as data, not as a page.
API_PATH = "/api/"
LOCKED_OUT = _("Too many failed sign-ins: this account is locked from this address for a while.")


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """What a locked-out sign-in gets (django-axes' AXES_LOCKOUT_CALLABLE).

    The login page and the API's token endpoint share one count of failures;
    only the answer's form differs.
    """
    status = settings.AXES_HTTP_RESPONSE_CODE
    if request.path.startswith(API_PATH):
        return JsonResponse(
            {"detail": LOCKED_OUT, "errors": [{"field": None, "message": LOCKED_OUT}]},
            status=status,
        )
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "username": get_client_username(request, credentials) or "",
    }
    if cool_off := get_cool_off(request):
        context["cooloff_time"] = get_cool_off_iso8601(cool_off)
        context["cooloff_timedelta"] = cool_off
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, context, status=status)
