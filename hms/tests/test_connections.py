"""Database connections on PostgreSQL: one per web process, kept across
requests, replaced when the server drops it, opened in UTC (no SET TIME ZONE).
"""

import psycopg
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import RequestFactory

# serialized_rollback as the other transactional tests: the data migrations' rows come back after.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _serve(handler: WSGIHandler, path: str) -> int:
    """One request through the WSGI entry point gunicorn calls, with Django's
    request_started and request_finished (which close old connections).
    """
    statuses = []
    environ = RequestFactory()._base_environ(PATH_INFO=path)
    response = handler(environ, lambda status, headers: statuses.append(status))
    b"".join(response)
    response.close()  # request_finished, as a WSGI server calls it
    return int(statuses[0].split()[0])


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _terminate(pid: int) -> None:
    """Drop the backend from the server side, as a restart or a failover would."""
    params = connection.settings_dict
    with psycopg.connect(
        dbname=params["NAME"],
        user=params["USER"],
        host=params["HOST"],
        port=params["PORT"] or None,
        autocommit=True,
    ) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])


def test_it_keeps_its_connection_across_requests():
    handler = WSGIHandler()

    assert _serve(handler, "/healthz") == 200
    first = _backend_pid()
    assert _serve(handler, "/healthz") == 200
    assert _serve(handler, "/healthz") == 200

    assert _backend_pid() == first


def test_it_reconnects_when_the_server_drops_the_connection():
    handler = WSGIHandler()
    assert _serve(handler, "/healthz") == 200
    dropped = _backend_pid()

    _terminate(dropped)

    assert _serve(handler, "/healthz") == 200
    assert _backend_pid() != dropped


def test_it_connects_in_utc_so_no_set_time_zone_follows():
    raw = connection.get_new_connection(connection.get_connection_params())
    try:
        assert raw.info.parameter_status("TimeZone") == "UTC"
        # False: Django found nothing to set on the new connection.
        assert connection._configure_timezone(raw) is False
    finally:
        raw.close()


def _prepared_statements() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        return cursor.fetchone()[0]


def test_it_prepares_a_query_it_runs_again_so_postgresql_plans_it_once():
    from clinic.models import Department

    before = _prepared_statements()
    for _ in range(6):  # psycopg prepares a query on its 6th run on a connection
        list(Department.objects.filter(slug="cardiology").values_list("pk", flat=True))

    assert _prepared_statements() == before + 1
