"""Browser fixtures: one Chromium per test module, a fresh context per test,
and a screenshot in ``test-artifacts/`` of every page a failing test leaves.
"""

import os
import re
from pathlib import Path

import pytest

from hms.browser import launch, new_page

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread; the
    # test's own ORM calls (building data, reading the outbox's records) are
    # still plain synchronous code.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


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
