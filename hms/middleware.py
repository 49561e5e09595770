"""Project middleware. Imports no app."""

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

# The session key holding when a staff session was last renewed (a timestamp).
IDLE_TOUCH_KEY = "_hms_idle_touch"
# Renew at most this often, so a busy admin does not write the session on
# every request; the idle timeout is then exact to within this many seconds.
RENEW_EVERY_SECONDS = 60


def renew_staff_session(session, now: float | None = None) -> None:
    """Give a staff session a fresh idle deadline of HMS_STAFF_IDLE_SECONDS."""
    session.set_expiry(settings.HMS_STAFF_IDLE_SECONDS)
    session[IDLE_TOUCH_KEY] = now if now is not None else timezone.now().timestamp()


class StaffIdleTimeoutMiddleware:
    """Staff sessions end after HMS_STAFF_IDLE_SECONDS without a request.

    The session's expiry is renewed as the admin works (at most once a
    minute), so it ends that long after their last request. Doctors and
    patients keep Django's normal session length.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            now = timezone.now().timestamp()
            touched = request.session.get(IDLE_TOUCH_KEY)
            if touched is not None and now - touched > settings.HMS_STAFF_IDLE_SECONDS:
                # Idle too long. The session store's own expiry normally ends
                # it first; this holds whatever the store (a cache's TTL, say).
                logout(request)
            elif touched is None or now - touched >= RENEW_EVERY_SECONDS:
                renew_staff_session(request.session, now)
        return self.get_response(request)


class NoStoreForSignedInMiddleware:
    """Pages and downloads for a signed-in person are never stored by a browser
    or a proxy (``Cache-Control: no-store``): they carry personal and clinical
    data, and a shared computer's back button or a proxy's cache must not
    show them to the next person.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
