"""The admin dashboard's figures are reused for HMS_DASHBOARD_CACHE_SECONDS, then recounted."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from reports.selectors import admin_dashboard
from scheduling.models import Appointment
from scheduling.tests.factories import local, past_visit

BASE_DIR = Path(__file__).resolve().parents[2]


def _add_today(hospital) -> None:
    patient = Appointment.objects.filter(doctor=hospital["arora"]).first().patient
    past_visit(patient, hospital["arora"], local("2026-12-01 07:00"))


@pytest.mark.django_db
def test_it_shows_a_change_only_after_the_figures_expire(hospital, clinic_now, settings):
    settings.HMS_DASHBOARD_CACHE_SECONDS = 300
    first = admin_dashboard()
    _add_today(hospital)

    clinic_now.shift(timedelta(seconds=299))
    before = admin_dashboard()
    clinic_now.shift(timedelta(seconds=1))
    after = admin_dashboard()

    assert first["appointments"]["today"] == 2
    assert before["appointments"]["today"] == 2
    assert before["updated_at"] == first["updated_at"] == local("2026-12-01 08:00")
    assert after["appointments"]["today"] == 3
    assert after["updated_at"] == local("2026-12-01 08:05")
    assert after["fresh_until"] == local("2026-12-01 08:10")


@pytest.mark.django_db
def test_it_reads_the_cached_figures_without_a_query(hospital, settings, django_assert_num_queries):
    settings.HMS_DASHBOARD_CACHE_SECONDS = 300
    admin_dashboard()

    with django_assert_num_queries(0):
        figures = admin_dashboard()

    assert figures["appointments"]["total"] == 12


@pytest.mark.django_db
def test_it_counts_every_time_when_caching_is_off(hospital, settings):
    settings.HMS_DASHBOARD_CACHE_SECONDS = 0
    admin_dashboard()
    _add_today(hospital)

    assert admin_dashboard()["appointments"]["today"] == 3


CODE = "from django.conf import settings; print(settings.HMS_DASHBOARD_CACHE_SECONDS)"


def _cache_seconds(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "HMS_"))}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", CODE],
        cwd=BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout.strip()


def test_it_reuses_the_figures_for_five_minutes_unless_told_otherwise():
    assert _cache_seconds() == "300"
    assert _cache_seconds(HMS_DASHBOARD_CACHE_SECONDS="45") == "45"
