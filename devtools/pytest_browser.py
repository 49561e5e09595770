"""The browser fixtures, a pytest plugin (the root ``conftest.py`` loads it):
one Chromium per test module, a fresh context per test, and a screenshot in
``test-artifacts/`` of every page a failing test leaves.

Playwright is imported only when a browser test asks for ``browser``, so the
SQLite leg without Chromium never loads it.
"""

import re
from pathlib import Path

import pytest

from devtools.browser import BrowserThread, launch, new_page

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


@pytest.fixture(scope="module")
def browser():
    """Chromium, driven from a thread of its own.

    Playwright's sync API keeps an asyncio loop marked as running in the
    thread that started it; Django refuses ORM calls in such a thread. So
    Playwright lives in its own thread and the test holds proxies
    (``devtools.browser.InBrowserThread``): every call on a page, locator or
    download runs there, while the test's ORM calls stay ordinary sync code
    in the test's thread, as in any other test.
    """
    from playwright.sync_api import sync_playwright

    with BrowserThread() as thread:
        playwright = thread.run(lambda: sync_playwright().start())
        chromium = thread.run(lambda: launch(playwright))
        try:
            yield thread.wrap(chromium)
        finally:
            thread.run(chromium.close)
            thread.run(playwright.stop)


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
