"""CountedPagePaginator: Django's pages, the count coming with the page's rows."""

import pytest
from django.core.paginator import Paginator

from accounts.models import User
from accounts.roles import Role
from accounts.services import user_create
from hms.paginator import CountedPagePaginator

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    for n in range(7):
        user_create(email=f"p{n}@example.com", first_name="P", last_name=f"{n}", role=Role.PATIENT)
    return User.objects.order_by("email")


HUGE = ["10001", "9223372036854775808", "99999999999999999999", "1e309"]


@pytest.mark.parametrize(
    "number", [None, "", "x", "1", "2", "3", "4", "99", "0", "-1", 2.0, 2.5, *HUGE]
)
def test_it_gives_the_pages_djangos_paginator_gives(people, number):
    ours = CountedPagePaginator(people, 3).get_page(number)
    django = Paginator(people, 3).get_page(number)

    assert ours.number == django.number
    assert list(ours) == list(django)
    assert ours.paginator.count == django.paginator.count == 7
    assert ours.paginator.num_pages == 3


def test_it_reads_a_page_and_its_count_in_one_query(people, django_assert_num_queries):
    with django_assert_num_queries(1):
        page = CountedPagePaginator(people, 3).get_page("2")
        assert len(page) == 3
        assert page.has_next()
        assert page.paginator.num_pages == 3


def test_it_pages_plain_rows_with_their_count_in_one_query(people, django_assert_num_queries):
    rows = people.values("email")
    with django_assert_num_queries(1):
        page = CountedPagePaginator(rows, 3).get_page("3")
        assert [row["email"] for row in page] == ["p6@example.com"]
        assert page.paginator.count == 7
        assert page.number == 3


def test_an_empty_list_is_one_query_and_one_empty_page(django_assert_num_queries):
    with django_assert_num_queries(1):
        page = CountedPagePaginator(User.objects.order_by("email"), 3).get_page(None)
        assert list(page) == []
        assert page.paginator.count == 0
        assert page.number == 1


@pytest.mark.parametrize("number", HUGE)
def test_the_patient_home_shows_its_last_page_for_a_page_number_past_any_integer(
    patient_client, number
):
    response = patient_client.get("/patient/", {"page": number})

    assert response.status_code == 200
    assert response.context["past"].number == 1
