"""The browser fixtures, a pytest plugin (the root ``conftest.py`` loads it):
one Chromium per test module, a fresh context per test, and a screenshot in
``test-artifacts/`` of every page a failing test leaves.

Playwright is imported only when a browser test asks for ``browser``, so the
SQLite leg without Chromium never loads it.
"""

import os
import re
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connections

from devtools.browser import launch, new_page

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


@contextmanager
def _sync_django_in_this_thread():
    """Let the test's ORM calls run as plain sync code while Playwright is up.

    Playwright's sync API leaves its asyncio loop marked as running in this
    thread between calls. Django then refuses ORM calls (unless
    DJANGO_ALLOW_ASYNC_UNSAFE is set) and keeps database connections per
    async context instead of per thread: pytest-django's set-up would get a
    fresh connection without the serialized contents, skip restoring the role
    groups, and the test body yet another one. So, while the browser is up,
    connections are looked up in the handler's thread-local storage (where the
    live server's shared in-memory SQLite connection also lives), as in any
    sync test.
    """
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    per_context = connections._connections
    connections._connections = per_context._storage  # asgiref's threading.local
    try:
        yield
    finally:
        connections._connections = per_context
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with _sync_django_in_this_thread(), sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def page(request, browser, live_server):
    """A page on the live server in its own context (no cookies shared between tests)."""
    page = new_page(browser, live_server.url)
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid.split("::", 1)[-1])
        for number, open_page in enumerate(page.context.pages):
            suffix = f"-{number}" if number else ""
            open_page.screenshot(path=ARTIFACTS / f"{name}{suffix}.png", full_page=True)
    page.context.close()
