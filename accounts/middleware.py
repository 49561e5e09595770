"""Who must sign in with a second factor reaches no page without it."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import urlencode

from accounts import two_factor

# Pages a person whose role requires two-factor sign-in may open before it.
OPEN_BEFORE_SECOND_FACTOR = {
    "accounts:two-factor",
    "accounts:login-code",
    "accounts:logout",
    "healthz",
}


class TwoFactorRequiredMiddleware:
    """A signed-in person of a role in HMS_2FA_REQUIRED_ROLES whose session is not
    verified with a second factor is sent to enter their code, or, if they have
    no authenticator yet, to set one up: before any other page, the Django
    admin included.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return None
        match = request.resolver_match
        if match is None or match.view_name in OPEN_BEFORE_SECOND_FACTOR:
            return None
        if not two_factor.required_for(user):
            return None
        target = "accounts:login-code" if two_factor.is_enrolled(user) else "accounts:two-factor"
        if target == "accounts:two-factor":
            messages.warning(request, "Set up two-factor sign-in to continue.")
        url = redirect(target).url
        return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")
