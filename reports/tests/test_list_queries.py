"""The export list and the monthly report list cost the same number of
queries however many rows they show.
"""

from datetime import date

import pytest
from django.urls import reverse

from clinic.tests.factories import DoctorFactory
from reports.models import ExportJob, MonthlyReport

pytestmark = pytest.mark.django_db

EXPORTS = reverse("reports:export-list")
MONTHLY = reverse("reports:monthly-report-list")
# Measured: the session, the user and their groups, the count and the page of rows.
EXPORT_LIST_QUERIES = 5
MONTHLY_LIST_QUERIES = 5


def _exports(user, count: int) -> None:
    for _ in range(count):
        ExportJob.objects.create(requested_by=user, kind=ExportJob.Kind.APPOINTMENTS, status="done")


def _reports(count: int) -> None:
    for n in range(count):
        MonthlyReport.objects.create(doctor=DoctorFactory(), month=date(2026, 1 + n % 11, 1))


@pytest.mark.parametrize("rows", [3, 30])
def test_it_lists_exports_in_a_bounded_number_of_queries(
    admin_client, admin_user, rows, django_assert_max_num_queries
):
    _exports(admin_user, rows)
    admin_client.get(EXPORTS)  # the first request of a session also saves it

    with django_assert_max_num_queries(EXPORT_LIST_QUERIES):
        response = admin_client.get(EXPORTS)

    assert len(response.context["page"]) == min(rows, 20)


def test_it_lists_monthly_reports_in_a_bounded_number_of_queries(
    admin_client, django_assert_max_num_queries, queries_of
):
    _reports(3)
    admin_client.get(MONTHLY)
    few = queries_of(admin_client, MONTHLY)
    _reports(27)

    with django_assert_max_num_queries(MONTHLY_LIST_QUERIES):
        response = admin_client.get(MONTHLY)

    assert len(response.context["page"]) == 24
    assert queries_of(admin_client, MONTHLY) == few
