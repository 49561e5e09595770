"""Request middleware of accounts: the signed-in person's role kept in their
session, their own language, and no page before the second factor for those
who must use one.

Reading the role costs a query on the person's groups; every page needs it
(the navigation, the permission checks). So it is read once per session and
kept there with the person's ``groups_version``. Any change to their groups
bumps that number (accounts.signals), so the next request reads the groups
again. Superusers are admins by their own row and need nothing kept.
"""

from __future__ import annotations

from collections.abc import Callable

from auditlog.middleware import AuditlogMiddleware
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.middleware import get_user
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts import two_factor
from accounts.lockout import client_address
from accounts.roles import Role

ROLE_SESSION_KEY = "_hms_role"


def remember_role(session, user) -> None:
    """Keep ``user``'s role in ``session``, stamped with their groups version."""
    role = user.role
    session[ROLE_SESSION_KEY] = [role.value if role else "", user.groups_version]


def _user_with_role(request: HttpRequest):
    user = get_user(request)  # Django's, cached on the request
    if not user.is_authenticated or user.is_superuser:
        return user
    kept = request.session.get(ROLE_SESSION_KEY)
    if kept and len(kept) == 2 and kept[1] == user.groups_version:
        try:
            user.__dict__["role"] = Role(kept[0]) if kept[0] else None
        except ValueError:  # a role that no longer exists: read the groups
            remember_role(request.session, user)
    else:
        remember_role(request.session, user)
    return user


class SessionRoleMiddleware:
    """Right after Django's AuthenticationMiddleware: ``request.user`` stays
    lazy, and carries the role from the session once it is loaded.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.user = SimpleLazyObject(lambda: _user_with_role(request))
        return self.get_response(request)


def _own_language(user) -> str:
    """The signed-in person's chosen language, if they chose one HMS offers."""
    if not user.is_authenticated:
        return ""
    code = getattr(user, "preferred_language", "")
    return code if code in dict(settings.LANGUAGES) else ""


class PreferredLanguageMiddleware:
    """After AuthenticationMiddleware: a signed-in person who chose a language
    gets their pages in it, on any device, whatever the browser or the
    language cookie says; the cookie is set to it too, so the pages stay in it
    after they sign out. Everyone else keeps LocaleMiddleware's choice (the
    cookie, else the browser's Accept-Language).

    No query: the person is loaded on every request anyway (the navigation,
    NoStoreForSignedInMiddleware).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if code := _own_language(request.user):
            translation.activate(code)
            request.LANGUAGE_CODE = code
        response = self.get_response(request)
        # request.user may have changed: signed in or out on this request.
        user = getattr(request, "user", None)
        code = _own_language(user) if user is not None else ""
        cookie = settings.LANGUAGE_COOKIE_NAME
        if code and cookie not in response.cookies and request.COOKIES.get(cookie) != code:
            response.set_cookie(
                cookie,
                code,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response


# Pages a person whose role requires two-factor sign-in may open before it.
OPEN_BEFORE_SECOND_FACTOR = {
    "accounts:two-factor",
    "accounts:login-code",
    "accounts:logout",
    "set_language",  # the setup page in the person's language
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
            messages.warning(request, _("Set up two-factor sign-in to continue."))
        url = redirect(target).url
        return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")


class ClientAddressAuditlogMiddleware(AuditlogMiddleware):
    """django-auditlog's middleware, recording the client's address as the
    lockout reads it (``accounts.lockout.client_address``): REMOTE_ADDR, or
    behind a proxy the entry the proxy appended to X-Forwarded-For. Auditlog's
    own reads the first entry, which the client writes itself, so anyone could
    sign an audit entry with any address.
    """

    @staticmethod
    def _get_remote_addr(request: HttpRequest) -> str | None:
        if settings.AUDITLOG_DISABLE_REMOTE_ADDR:
            return None
        return client_address(request)

    @staticmethod
    def _get_remote_port(request: HttpRequest) -> int | None:
        # X-Forwarded-Port is the client's word too, unless a proxy wrote it.
        if not settings.HMS_BEHIND_PROXY:
            return None
        return AuditlogMiddleware._get_remote_port(request)
