"""Every named URL, as every kind of person, with other people's ids.

The table says what each person gets from a GET: ``L`` the login page,
``R`` another redirect, or a status code. Objects in the URLs belong to
patient A and doctor X, so patient B and doctor Y are trying other
people's ids. A URL that is not in the table fails the test, so each new
page must say who may see it.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from hms.tests.matrix import MATRIX, PEOPLE, L, R

pytestmark = pytest.mark.django_db


def _named_urls(patterns=None, namespace=None):
    """(name, pattern) of every named URL outside the Django admin."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            if ns != "admin":
                yield from _named_urls(entry.url_patterns, ns)
        elif entry.name:
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), entry


def _outcome(response) -> str | int:
    if response.status_code == 302:
        return L if response["Location"].startswith(reverse("accounts:login")) else R
    return response.status_code


def test_it_has_a_row_for_every_named_url():
    assert sorted(dict(_named_urls())) == sorted(MATRIX)


def test_it_gives_each_person_what_the_table_says(world):
    people, kwargs = world
    found = {}
    for person in PEOPLE:
        client = Client()
        if people[person] is not None:
            client.force_login(people[person])
        for name in MATRIX:
            response = client.get(reverse(name, kwargs=kwargs.get(name)))
            found[(name, person)] = _outcome(response)

    wrong = {
        f"{name} as {person}": f"got {got}, table says {MATRIX[name][person]}"
        for (name, person), got in found.items()
        if got != MATRIX[name][person]
    }
    assert wrong == {}


def test_it_lets_nobody_write_where_they_may_not_read(world):
    """A POST to any page a person may not open (403/404/login) changes nothing
    and answers the same refusal (or 405 where only POST exists), whatever it carries.
    """
    from auditlog.models import LogEntry

    people, kwargs = world
    data = {"reason": "mine now", "start": "2026-12-04T04:30:00+00:00", "diagnosis": "x",
            "block-weekday": "0", "block-start_time": "09:00", "block-end_time": "10:00",
            "name": "Renamed", "first_name": "Eve", "last_name": "Intruder",
            "email": "eve@example.com", "kind": "treatments"}  # fmt: skip
    refused = {403, 404, L}
    before = LogEntry.objects.exclude(action=LogEntry.Action.ACCESS).count()
    leaks = []
    for person in PEOPLE:
        client = Client()
        if people[person] is not None:
            client.force_login(people[person])
        for name, expected in MATRIX.items():
            if expected[person] not in refused or name not in kwargs:
                continue
            response = client.post(reverse(name, kwargs=kwargs[name]), data)
            if _outcome(response) not in refused | {405}:
                leaks.append(f"POST {name} as {person}: {_outcome(response)}")

    assert leaks == []
    # Nothing was created, changed or deleted by any of those requests.
    assert LogEntry.objects.exclude(action=LogEntry.Action.ACCESS).count() == before
