"""Two baseline views for the benchmark (``make bench``), mounted only when
``HMS_BENCH_VIEWS`` is true, never in production: the cost of Django itself
(middleware, routing, a response) and of one ORM INSERT, beside which the real
pages' throughput is judged.
"""

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.crypto import get_random_string


def ping(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def ping_insert(request: HttpRequest) -> HttpResponse:
    # Any small table does; an expired session row is swept by clearsessions.
    Session.objects.create(
        session_key=get_random_string(32),
        session_data="",
        expire_date=timezone.now() - timedelta(seconds=1),
    )
    return HttpResponse("ok", content_type="text/plain")
