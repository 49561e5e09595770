"""The tooling stays out of the product: its views are mounted only on request,
and the test leg without Chromium never loads Playwright.
"""

import importlib
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.urls import NoReverseMatch, clear_url_caches, reverse

import hms.urls


@pytest.fixture
def reload_urls(settings):
    """Rebuild the URLconf under the test's settings, and as it was afterwards."""

    def reload() -> None:
        importlib.reload(hms.urls)
        clear_url_caches()

    yield reload
    settings.HMS_BENCH_VIEWS = False
    reload()


def test_it_mounts_no_bench_view_by_default(reload_urls, settings):
    settings.HMS_BENCH_VIEWS = False
    reload_urls()

    with pytest.raises(NoReverseMatch):
        reverse("devtools:bench-ping")


@pytest.mark.django_db
def test_it_mounts_the_bench_views_with_hms_bench_views(reload_urls, settings, client):
    settings.HMS_BENCH_VIEWS = True
    reload_urls()

    assert reverse("devtools:bench-ping") == "/bench/ping/"
    response = client.get("/bench/ping/")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_it_loads_no_playwright_until_a_browser_test_runs():
    # A fresh interpreter: this one may have run a browser test already.
    script = (
        "import sys, django; django.setup();"
        "import conftest, devtools.pytest_browser, devtools.screenshots,"
        " hms.tests.test_browser_journeys, hms.tests.test_accessibility;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'playwright'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
        env={"DJANGO_SETTINGS_MODULE": "hms.settings", "PATH": ""},
    )

    assert result.stdout.strip() == "[]"
