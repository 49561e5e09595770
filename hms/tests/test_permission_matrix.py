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

pytestmark = pytest.mark.django_db

PEOPLE = ("anon", "patient_a", "patient_b", "doctor_x", "doctor_y", "admin")
L, R = "L", "R"

EVERYONE = dict.fromkeys(PEOPLE, 200)
SIGNED_IN = {**dict.fromkeys(PEOPLE, 200), "anon": L}
ANON_ONLY = {**dict.fromkeys(PEOPLE, R), "anon": 200}
POST_ONLY = dict.fromkeys(PEOPLE, 405)


def only(*who, other=403, **special):
    """``who`` get 200, the anonymous the login page, everyone else ``other``."""
    return {p: 200 if p in who else other for p in PEOPLE} | {"anon": L} | special


ADMIN = only("admin")
PATIENTS = only("patient_a", "patient_b")
DOCTORS = only("doctor_x", "doctor_y")
# Records of patient A and doctor X: the others get 404, other roles 403.
A_AND_X = only("patient_a", "doctor_x", "admin", patient_b=404, doctor_y=404)

MATRIX: dict[str, dict] = {
    "landing": ANON_ONLY,
    "dashboard": {**dict.fromkeys(PEOPLE, R), "anon": L},
    "healthz": EVERYONE,
    "accounts:login": ANON_ONLY,
    "accounts:logout": POST_ONLY,
    "accounts:password-change": SIGNED_IN,
    "accounts:password-change-done": SIGNED_IN,
    "accounts:password-reset": EVERYONE,
    "accounts:password-reset-done": EVERYONE,
    "accounts:password-reset-confirm": dict.fromkeys(PEOPLE, R),
    "accounts:password-reset-complete": EVERYONE,
    "clinic:patient-register": ANON_ONLY,
    "clinic:department-list": SIGNED_IN,
    "clinic:department-detail": SIGNED_IN,
    "clinic:doctor-search": SIGNED_IN,
    "clinic:doctor-detail": SIGNED_IN,
    "clinic:profile-edit": PATIENTS,
    "clinic:history-mine": PATIENTS,
    "clinic:patient-history": A_AND_X,
    "clinic:walkin-start": DOCTORS,
    # Any doctor may record a walk-in visit of any existing patient.
    "clinic:walkin-record": DOCTORS,
    "clinic:treatment-detail": A_AND_X,
    "clinic:treatment-amend": only("doctor_x", doctor_y=404),
    "clinic:prescription-print": A_AND_X,
    "clinic:icd10-search": DOCTORS,
    "clinic:prescription-line-add": DOCTORS,
    "clinic:manage-department-list": ADMIN,
    "clinic:manage-department-create": ADMIN,
    "clinic:manage-department-edit": ADMIN,
    "clinic:manage-department-toggle": ADMIN,
    "clinic:manage-doctor-list": ADMIN,
    "clinic:manage-doctor-create": ADMIN,
    "clinic:manage-doctor-edit": ADMIN,
    "clinic:manage-doctor-toggle": ADMIN,
    "clinic:manage-patient-list": ADMIN,
    "clinic:manage-patient-detail": ADMIN,
    "clinic:manage-patient-edit": ADMIN,
    "clinic:manage-patient-toggle": ADMIN,
    "scheduling:doctor-home": DOCTORS,
    "scheduling:patient-home": PATIENTS,
    "scheduling:book-start": PATIENTS,
    "scheduling:appointment-book": PATIENTS,
    # Patients only; without ?department= there is nothing to look in.
    "scheduling:next-available": only(patient_a=404, patient_b=404),
    "scheduling:appointment-list": ADMIN,
    "scheduling:appointment-detail": A_AND_X,
    "scheduling:appointment-cancel": A_AND_X,
    "scheduling:appointment-reschedule": only("patient_a", "admin", patient_b=404),
    "scheduling:appointment-complete": POST_ONLY,
    # Doctor X is sent back: the visit has not started yet.
    "scheduling:appointment-complete-record": only(doctor_x=R, doctor_y=404),
    "scheduling:appointment-no-show": POST_ONLY,
    "scheduling:availability": only("doctor_x", "doctor_y", admin=404),
    "scheduling:availability-doctors": ADMIN,
    "scheduling:availability-doctor": only("admin", doctor_x=404, doctor_y=404),
    "scheduling:availability-block-delete": POST_ONLY,
    "scheduling:availability-exception-delete": POST_ONLY,
    "reports:admin-home": ADMIN,
    "reports:monthly-report-list": only("doctor_x", "doctor_y", "admin"),
    "reports:monthly-report-detail": only("doctor_x", "admin", doctor_y=404),
    "reports:export-list": only("patient_a", "patient_b", "admin"),
    "reports:export-create": POST_ONLY,
    "reports:export-detail": only("patient_a", "admin", patient_b=404),
    "reports:export-download": only("patient_a", "admin", patient_b=404),
    "reports:export-retry": POST_ONLY,
}


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
