"""Project-wide pages that belong to no single app."""

import logging
import uuid

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)

# Each role's home, by URL name, so this module imports no app.
ROLE_HOMES = {
    "admin": "reports:admin-home",
    "reception": "scheduling:desk",
    "doctor": "scheduling:doctor-home",
    "patient": "scheduling:patient-home",
}


def landing(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "landing.html")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Send each person to their role's home."""
    home = ROLE_HOMES.get(request.user.role)
    if home is None:
        raise PermissionDenied(_("Your account has no role yet. Please contact an administrator."))
    return redirect(home)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("healthz: database check failed")
        return False


def _cache_ok() -> bool:
    # A round trip, because the Redis cache is set to swallow its errors:
    # an outage shows up only as a value that does not come back.
    key, value = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
    try:
        cache.set(key, value, timeout=10)
        ok = cache.get(key) == value
        cache.delete(key)
        return ok
    except Exception:
        logger.exception("healthz: cache check failed")
        return False


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: 200 when the database and the cache answer, else 503 naming what is down."""
    checks = {"database": _database_ok(), "cache": _cache_ok()}
    down = [name for name, ok in checks.items() if not ok]
    body = {name: "ok" if ok else "down" for name, ok in checks.items()}
    body["status"] = "ok" if not down else "down: " + ", ".join(down)
    return JsonResponse(body, status=503 if down else 200)
