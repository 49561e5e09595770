import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

BASE_DIR = Path(__file__).resolve().parents[2]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "HMS_"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_it_passes_the_deploy_check_in_production_mode():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="hms.example.org",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_refuses_to_start_in_production_mode_without_a_secret_key():
    result = _manage("check", DJANGO_DEBUG="false")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_it_uses_the_clinic_time_zone():
    assert settings.USE_TZ
    assert os.environ.get("HMS_TIME_ZONE", "Asia/Kolkata") == settings.TIME_ZONE


@pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL is not set (the SQLite leg)")
def test_it_caches_in_the_real_redis_when_redis_url_is_set():
    from django_redis import get_redis_connection

    cache.set("hms-test-key", "stored", timeout=30)

    assert settings.CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache"
    assert get_redis_connection("default").exists(cache.make_key("hms-test-key"))
    assert not settings.CELERY_TASK_ALWAYS_EAGER


@pytest.mark.skipif(bool(settings.REDIS_URL), reason="REDIS_URL is set (the PostgreSQL leg)")
def test_it_runs_on_local_memory_and_eager_tasks_without_redis():
    assert settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")
    assert settings.CELERY_TASK_ALWAYS_EAGER


def test_it_names_the_clinic_time_zone_and_phone_on_every_page(client, db):
    response = client.get("/accounts/login/")

    footer = response.text.split("<footer")[1]
    assert "Times in IST (Asia/Kolkata)" in footer
    assert "+91 80 4000 1234" in footer


def test_it_answers_an_unknown_page_with_the_site_layout_never_the_debug_page(client, db, settings):
    settings.DEBUG = False  # production mode; the test runner's default, said out loud

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "Page not found" in response.text
    assert 'class="navbar' in response.text  # the site's own layout
    assert "URLconf" not in response.text  # Django's technical 404 lists the URLconf


def test_it_answers_a_forbidden_page_with_the_site_layout(client, db, settings):
    from clinic.tests.factories import PatientFactory

    settings.DEBUG = False
    client.force_login(PatientFactory().user)

    response = client.get("/manage/patients/")

    assert response.status_code == 403
    assert "This page is not for your account" in response.text
    assert 'class="navbar' in response.text
    assert 'href="/dashboard/"' in response.text  # a way out, not a dead end


def test_it_links_a_favicon_that_is_served(client, db):
    from django.contrib.staticfiles import finders

    page = client.get("/accounts/login/")

    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page.text
    assert page.text.count('rel="icon"') == 1  # no empty "data:," icon beside it
    assert finders.find("favicon.svg")
