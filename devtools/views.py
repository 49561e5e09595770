"""Two baseline views for the benchmark (``make bench``), mounted only when
``HMS_BENCH_VIEWS`` is true, never in production: the cost of Django itself
(middleware, routing, a response), of a signed-in JSON answer (the API's
baseline) and of one ORM INSERT, beside which the real
pages' throughput is judged.
"""

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.crypto import get_random_string


def ping(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def ping_json(request: HttpRequest) -> JsonResponse:
    """The JSON API's baseline: a signed-in person's session read, a JSON answer."""
    if not request.user.is_authenticated:
        return JsonResponse({"detail": "Sign in."}, status=401)
    return JsonResponse({"ok": True, "user": request.user.pk})


def ping_insert(request: HttpRequest) -> HttpResponse:
    # Any small table does; an expired session row is swept by clearsessions.
    Session.objects.create(
        session_key=get_random_string(32),
        session_data="",
        expire_date=timezone.now() - timedelta(seconds=1),
    )
    return HttpResponse("ok", content_type="text/plain")
