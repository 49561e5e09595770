"""How django-axes names the account a sign-in attempt was for."""

from __future__ import annotations

from axes.helpers import (
    get_client_username,
    get_cool_off,
    get_cool_off_iso8601,
    get_failure_limit,
)
from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render

from accounts.models import UserManager


def lockout_username(request, credentials: dict | None) -> str | None:
    """The e-mail tried, in the one case we store e-mails in, so changing the
    letter case does not get around a lockout.
    """
    raw = (credentials or {}).get("username")
    if raw is None and request is not None:
        raw = request.POST.get("username")
    return UserManager.normalize_email(raw) if raw else None


# The API's clients get the lockout as data, not as a page.
API_PATH = "/api/"
LOCKED_OUT = "Too many failed sign-ins: this account is locked from this address for a while."


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
