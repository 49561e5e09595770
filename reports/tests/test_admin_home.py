"""The admin home (/hospital/): counts, charts with their tables, no inline script."""

import json
import re
from datetime import timedelta

import pytest
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clinic.tests.factories import DepartmentFactory, DoctorFactory, PatientFactory
from reports.selectors import DASHBOARD_CACHE_KEY
from scheduling.models import Appointment
from scheduling.tests.factories import local, past_visit

pytestmark = pytest.mark.django_db

HOME = reverse("reports:admin-home")
CHART_JS = "vendor/chartjs-4.6.1/chart.umd.min.js"


def test_it_shows_the_counts(admin_client, hospital):
    response = admin_client.get(HOME)

    html = response.text
    assert 'id="count-departments">3</div>' in html
    assert 'id="count-doctors">3</div>' in html
    assert 'id="count-patients">4</div>' in html
    assert 'id="count-today">2</div>' in html
    assert 'id="count-week">7</div>' in html
    assert "Appointments this week" in html
    assert "All appointments by status (12)" in html
    assert 'id="status-completed">6</strong>' in html
    assert 'id="status-no_show">2</strong>' in html


def test_it_says_when_the_figures_were_taken(admin_client, hospital):
    response = admin_client.get(HOME)

    updated = response.text.split('id="updated-at"')[1].split("</p>")[0]
    assert "1 Dec 2026, 08:00" in updated
    assert "recounted after 08:05" in updated


def test_it_hands_the_chart_data_over_as_json(admin_client, hospital):
    response = admin_client.get(HOME)

    found = re.search(
        r'<script id="dashboard-data" type="application/json">(.*?)</script>',
        response.text,
        re.S,
    )
    data = json.loads(found.group(1))
    assert set(data) == {"perDay", "perDepartment", "busiestDoctors", "noShowRate"}
    assert data["perDepartment"] == {
        "labels": ["Cardiology", "Dermatology", "Neurology"],
        "data": [6, 4, 0],
    }
    assert data["busiestDoctors"]["data"] == [3, 1, 1]
    assert data["noShowRate"]["data"] == [20.0, 50.0]
    assert len(data["perDay"]["labels"]) == 30


def test_it_gives_every_chart_a_table_of_its_numbers(admin_client, hospital):
    response = admin_client.get(HOME)

    html = response.text
    for section, chart in [
        ("per-day", "perDay"),
        ("per-department", "perDepartment"),
        ("busiest-doctors", "busiestDoctors"),
        ("no-show-rate", "noShowRate"),
    ]:
        part = html.split(f'id="{section}"')[1].split("</section>")[0]
        assert f'data-chart="{chart}"' in part
        assert 'role="img"' in part
        assert "<details" in part
        assert "<table" in part
    no_show = html.split('id="no-show-rate"')[1].split("</section>")[0]
    assert re.search(r"Dermatology</th>\s*<td[^>]*>1</td>\s*<td[^>]*>2</td>\s*<td[^>]*>50", no_show)
    doctors = html.split('id="busiest-doctors"')[1].split("</section>")[0]
    assert re.search(r"Dr. Anil Arora</th>\s*<td>Cardiology</td>\s*<td[^>]*>3</td>", doctors)


def test_it_loads_its_scripts_from_static_files_only(admin_client, hospital):
    response = admin_client.get(HOME)

    html = response.text
    scripts = re.findall(r"<script\b[^>]*>", html)
    inline = [tag for tag in scripts if "src=" not in tag]
    assert inline == ['<script id="dashboard-data" type="application/json">']
    assert f'<script src="/static/{CHART_JS}"></script>' in html
    assert '<script src="/static/js/dashboard.js"></script>' in html
    assert html.index(CHART_JS) < html.index("js/dashboard.js")
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", html)  # no inline event handlers
    assert "javascript:" not in html
    assert "cdn" not in html.lower()


def test_it_ships_the_static_files_it_names():
    assert finders.find("js/dashboard.js")
    assert finders.find(CHART_JS)
    assert finders.find("vendor/chartjs-4.6.1/LICENSE.md")


def test_it_shows_empty_charts_politely(admin_client, clinic_now):
    response = admin_client.get(HOME)

    assert response.status_code == 200
    assert "No completed visits in these days." in response.text
    assert "No completed or missed visits in these days." in response.text
    assert 'id="count-today">0</div>' in response.text


@pytest.mark.parametrize("client_fixture", ["doctor_client", "patient_client"])
def test_it_refuses_other_roles(request, client_fixture):
    client = request.getfixturevalue(client_fixture)

    response = client.get(HOME)

    assert response.status_code == 403


def test_it_sends_anonymous_visitors_to_log_in(client):
    response = client.get(HOME)

    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={HOME}"


def _appointments(n: int) -> None:
    """n past appointments over three departments, a doctor each, all statuses."""
    doctors = [DoctorFactory(department=DepartmentFactory()) for _ in range(3)]
    statuses = list(Appointment.Status)
    start = local("2026-11-05 09:00")
    for i in range(n):
        past_visit(
            PatientFactory(),
            doctors[i % 3],
            start + timedelta(days=i % 20, minutes=15 * (i // 3)),
            statuses[i % 4],
        )


@pytest.mark.parametrize("rows", [6, 60])
def test_it_counts_in_a_bounded_number_of_queries(
    admin_client, clinic_now, rows, django_assert_max_num_queries
):
    _appointments(rows)

    # The session, the user and their role, then the eight figure queries.
    with django_assert_max_num_queries(12):
        response = admin_client.get(HOME)

    assert f"All appointments by status ({rows})" in response.text


def test_it_uses_the_same_queries_for_few_and_many_appointments(admin_client, clinic_now):
    _appointments(6)
    admin_client.get(HOME)  # the admin is read once, then kept (accounts.person_cache)
    cache.delete(DASHBOARD_CACHE_KEY)
    with CaptureQueriesContext(connection) as few:
        admin_client.get(HOME)
    _appointments(54)
    cache.delete(DASHBOARD_CACHE_KEY)  # the figures again, the session and the admin still cached
    with CaptureQueriesContext(connection) as many:
        response = admin_client.get(HOME)

    assert len(few) == len(many)
    assert "All appointments by status (60)" in response.text


def test_it_serves_cached_figures_with_the_session_queries_only(
    admin_client, hospital, django_assert_max_num_queries
):
    admin_client.get(HOME)

    with django_assert_max_num_queries(3):
        response = admin_client.get(HOME)

    assert 'id="count-today">2</div>' in response.text
