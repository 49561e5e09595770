"""Project-wide pytest fixtures: fast hashing, a clean cache, one person per role."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit, urlunsplit

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import translation

from accounts.tests.factories import PASSWORD, AdminFactory
from clinic.tests.factories import DoctorFactory, PatientFactory
from devtools.browser import CHROMIUM
from hms.translations import compile_catalogs
from scheduling.tests.factories import local, open_every_day

pytest_plugins = ["devtools.pytest_browser"]

# A Tuesday morning in the clinic, before opening.
CLINIC_NOW = "2026-12-01 08:00"


def _xdist_worker(config) -> int | None:
    """The number of this pytest-xdist worker (gw0 is 0), or None in a run
    without workers (``-n 0``, ``-p no:xdist``) and in xdist's controller."""
    workerinput = getattr(config, "workerinput", None)
    return None if workerinput is None else int(workerinput["workerid"].removeprefix("gw"))


def _redis_db_url(url: str, offset: int) -> str:
    """``url`` on the Redis database ``offset`` after its own (redis://h:p/3 -> /4)."""
    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{base + offset}"))


def pytest_configure(config):
    """Each pytest-xdist worker has a Redis database of its own, REDIS_URL's
    number plus the worker's (gw0 REDIS_URL's, gw1 the next): the cache, the
    cached sessions and the Celery broker, so one worker's ``cache.clear()``
    or queued task never reaches another worker's test. (pytest-django gives
    each worker its own test database the same way: test_<name>_gw0, ...)
    A run without workers keeps REDIS_URL as it is.
    """
    worker = _xdist_worker(config)
    if not worker or not settings.REDIS_URL:
        return
    import redis

    from hms.celery import app

    url = _redis_db_url(settings.REDIS_URL, worker)
    try:
        redis.Redis.from_url(url).ping()
    except redis.ResponseError as error:  # else the cache would only read as empty
        message = f"pytest-xdist worker gw{worker} has no Redis database {url}: {error}"
        raise pytest.UsageError(message) from None
    cache_settings = {**settings.CACHES["default"], "LOCATION": url}
    # Django's setting_changed signal drops the cache connections made so far.
    override_settings(
        REDIS_URL=url, CELERY_BROKER_URL=url, CACHES={**settings.CACHES, "default": cache_settings}
    ).enable()
    app.conf.broker_url = url


def pytest_sessionstart(session):
    """The Hindi pages read locale/hi/LC_MESSAGES/django.mo: compile it if the
    .po is newer (as `make` does), so a bare pytest never tests a stale one.
    Under pytest-xdist only the controller does, before it starts the workers."""
    if _xdist_worker(session.config) is None:
        compile_catalogs()


def pytest_collection_modifyitems(config, items):
    """Skip, with the reason, what needs a real PostgreSQL, Redis or Chromium."""
    no_postgres = pytest.mark.skip(reason="needs PostgreSQL (runs in the PostgreSQL leg of CI)")
    no_redis = pytest.mark.skip(reason="needs a real Redis (REDIS_URL is not set)")
    no_chromium = pytest.mark.skip(
        reason=f"needs Chromium at {CHROMIUM} (apt-get install chromium; .ci/run installs it)"
    )
    for item in items:
        if "postgres" in item.keywords and connection.vendor != "postgresql":
            item.add_marker(no_postgres)
        if "redis" in item.keywords and not settings.REDIS_URL:
            item.add_marker(no_redis)
        if "browser" in item.keywords and not CHROMIUM.exists():
            item.add_marker(no_chromium)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item (``item.rep_call``), so a
    fixture can tell in its teardown whether the test failed.
    """
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded and generated files (exports) go to the test's own temporary
    folder, never into the checkout.
    """
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _tasks_in_process():
    """Run enqueued tasks in the test's process; the worker tests start a real worker."""
    from hms.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = eager


@pytest.fixture(autouse=True)
def _english_first():
    """Each test starts in the default language: a Hindi request through the
    test client leaves Hindi active in the thread, which must not leak into
    the next test's services and assertions."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def admin_user(db):
    return AdminFactory()


@pytest.fixture
def doctor(db):
    return DoctorFactory()


@pytest.fixture
def patient(db):
    return PatientFactory()


def _signed_in(user) -> Client:
    """A browser of its own (own cookies), signed in as ``user``: a test may
    use several roles at once without one sign-in replacing another.
    """
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def admin_client(request, admin_user):
    # Staff sessions end after 30 idle minutes: sign in at the frozen clinic
    # time when the test uses it, not days before it.
    if "clinic_now" in request.fixturenames:
        request.getfixturevalue("clinic_now")
    return _signed_in(admin_user)


@pytest.fixture
def doctor_client(doctor):
    return _signed_in(doctor.user)


@pytest.fixture
def patient_client(patient):
    return _signed_in(patient.user)


@pytest.fixture
def queries_of():
    """How many queries one GET of ``url`` by ``client`` costs (it must answer 200)."""

    def count(client, url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries)

    return count


@pytest.fixture
def clinic_now():
    """Time frozen at Tuesday 1 December 2026, 08:00 clinic time; move it with move_to()."""
    with time_machine.travel(local(CLINIC_NOW), tick=False) as traveller:
        yield traveller


@pytest.fixture
def open_doctor(doctor, clinic_now):
    """A doctor in 15-minute slots, 09:00-13:00 every day, at 08:00 on Tuesday 1 Dec 2026."""
    open_every_day(doctor)
    return doctor


class _Webhook(BaseHTTPRequestHandler):
    """A stand-in Google Chat space: answers 500 to the first `fail` posts."""

    received: list
    fail: int

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        server = self.server
        server.received.append(body)
        status = 500 if len(server.received) <= server.fail else 200
        self.send_response(status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def webhook(settings):
    """A real local HTTP server as the Google Chat space (HMS_CHAT_WEBHOOK_URL)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Webhook)
    server.received, server.fail = [], 0
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.HMS_CHAT_WEBHOOK_URL = f"http://127.0.0.1:{server.server_port}/v1/spaces/x/messages"
    yield server
    server.shutdown()
    server.server_close()
