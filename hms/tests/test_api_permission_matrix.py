"""Every route of the JSON API and of FHIR, as every kind of person, with other
people's ids (the world of the page matrix: patient A's records with doctor X).
The front desk (reception) gets what its pages give it: every patient and
appointment, booking, moving, cancelling and check-in, never a clinical record.

Each row says what each person gets: a status code. A route of the OpenAPI
schema or of FHIR without a row fails the test. No answer to patient B or
doctor Y carries patient A's e-mail or patient number, and no refused write
changes anything. Nor does an answer to them or to the front desk carry
anything of patient A's clinical record (a diagnosis, allergies).
"""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import get_resolver

from accounts.services import api_token_issue
from reports.models import ExportJob
from scheduling.models import Appointment

pytestmark = pytest.mark.django_db

PEOPLE = ("anon", "patient_a", "patient_b", "doctor_x", "doctor_y", "admin", "reception")
STRANGERS = ("patient_b", "doctor_y")
# Those who read no clinical record of patient A (the front desk reads none).
NO_RECORDS = (*STRANGERS, "reception")


def only(*who, other=403, **special):
    """``who`` get 200, the anonymous 401, everyone else ``other``."""
    return {p: 200 if p in who else other for p in PEOPLE} | {"anon": 401} | special


SIGNED_IN = only(*PEOPLE)
ADMIN = only("admin")
PATIENTS = only("patient_a", "patient_b")
STAFF = only("doctor_x", "doctor_y", "admin")
A_AND_X = only("patient_a", "doctor_x", "admin", patient_b=404, doctor_y=404)
# Patient A and their appointment with X: the front desk sees every patient and
# appointment (it registers them, books, moves and cancels for them).
DESK_TOO = A_AND_X | {"reception": 200}
X_AND_ADMIN = only("doctor_x", "admin", doctor_y=404)

V1 = "/api/v1"
# GET: every person tries it.
READS = {
    f"{V1}/departments": SIGNED_IN,
    f"{V1}/departments/{{department}}": SIGNED_IN,
    f"{V1}/doctors": SIGNED_IN,
    f"{V1}/doctors/{{doctor}}": SIGNED_IN,
    f"{V1}/doctors/{{doctor}}/slots": SIGNED_IN,
    f"{V1}/doctors/{{doctor}}/availability": X_AND_ADMIN,
    f"{V1}/appointments": SIGNED_IN,
    f"{V1}/appointments/{{appointment}}": DESK_TOO,
    # The world's appointment has no visit record yet: a 404 to everyone signed in.
    f"{V1}/appointments/{{appointment}}/treatment": only(other=404),
    f"{V1}/patients": STAFF | {"reception": 200},
    f"{V1}/patients/me": PATIENTS,
    # The front desk sees every patient (registers them, books for them).
    f"{V1}/patients/{{patient}}": only("doctor_x", "admin", "reception", doctor_y=404),
    f"{V1}/exports/{{export}}": only("patient_a", "admin", patient_b=404),
    f"{V1}/exports/{{export}}/download": only("patient_a", "admin", patient_b=404),
    f"{V1}/stats": ADMIN,
    "/fhir/R4/metadata": dict.fromkeys(PEOPLE, 200),
    "/fhir/R4/Patient": SIGNED_IN,
    "/fhir/R4/Patient/{patient}": DESK_TOO,
    "/fhir/R4/Practitioner": SIGNED_IN,
    "/fhir/R4/Practitioner/{doctor}": SIGNED_IN,
    "/fhir/R4/PractitionerRole": SIGNED_IN,
    "/fhir/R4/PractitionerRole/{doctor}": SIGNED_IN,
    "/fhir/R4/Schedule": SIGNED_IN,
    "/fhir/R4/Schedule/{doctor}": SIGNED_IN,
    "/fhir/R4/Slot?schedule=Schedule/{doctor}": SIGNED_IN,
    "/fhir/R4/Slot/{slot}": SIGNED_IN,
    "/fhir/R4/Appointment": SIGNED_IN,
    "/fhir/R4/Appointment/{appointment}": DESK_TOO,
}

NOT_ADMIN = dict.fromkeys(PEOPLE, 403) | {"anon": 401, "admin": None}
AVAILABILITY = {
    "anon": 401, "patient_a": 403, "patient_b": 403, "doctor_x": None, "doctor_y": 404,
    "admin": None, "reception": 403,
}  # fmt: skip
# The doctor's and the admins' (the front desk only checks in).
ATTENDANCE = {
    "anon": 401, "patient_a": 403, "patient_b": 403, "doctor_x": 422, "doctor_y": 404,
    "admin": 422, "reception": 403,
}  # fmt: skip
# Writes: what each person who may not make them gets (None: may, not tried
# here; a 422 is the service refusing, e.g. a visit that has not started).
WRITES = {
    ("POST", f"{V1}/auth/token"): {},
    ("DELETE", f"{V1}/auth/token"): {"anon": 401},
    ("POST", f"{V1}/departments"): NOT_ADMIN,
    ("PUT", f"{V1}/departments/{{department}}"): NOT_ADMIN,
    ("POST", f"{V1}/departments/{{department}}/deactivate"): NOT_ADMIN,
    ("POST", f"{V1}/departments/{{department}}/activate"): NOT_ADMIN,
    ("POST", f"{V1}/doctors"): NOT_ADMIN,
    ("PUT", f"{V1}/doctors/{{doctor}}"): NOT_ADMIN,
    ("POST", f"{V1}/doctors/{{doctor}}/disable"): NOT_ADMIN,
    ("POST", f"{V1}/doctors/{{doctor}}/enable"): NOT_ADMIN,
    ("POST", f"{V1}/doctors/{{doctor}}/availability/weekly"): AVAILABILITY,
    ("DELETE", f"{V1}/doctors/{{doctor}}/availability/weekly/{{block}}"): AVAILABILITY,
    ("POST", f"{V1}/doctors/{{doctor}}/availability/exceptions"): AVAILABILITY,
    ("DELETE", f"{V1}/doctors/{{doctor}}/availability/exceptions/{{exception}}"): AVAILABILITY,
    # The front desk and admins book for a patient they name (none named here: 422).
    ("POST", f"{V1}/appointments"): {
        "anon": 401,
        "doctor_x": 403,
        "doctor_y": 403,
        "admin": 422,
        "reception": 422,
    },
    ("POST", f"{V1}/appointments/{{appointment}}/reschedule"): {
        "anon": 401,
        "patient_b": 404,
        "doctor_x": 403,
        "doctor_y": 403,
    },
    ("POST", f"{V1}/appointments/{{appointment}}/cancel"): {
        "anon": 401,
        "patient_b": 404,
        "doctor_y": 404,
    },
    # The front desk only; the world's appointment is not today's (422).
    ("POST", f"{V1}/appointments/{{appointment}}/check-in"): {
        "anon": 401,
        "patient_a": 403,
        "patient_b": 403,
        "doctor_x": 403,
        "doctor_y": 403,
        "admin": 422,
        "reception": 422,
    },
    ("POST", f"{V1}/appointments/{{appointment}}/no-show"): ATTENDANCE,
    ("POST", f"{V1}/appointments/{{appointment}}/complete"): ATTENDANCE,
    ("POST", f"{V1}/appointments/{{appointment}}/treatment"): ATTENDANCE | {"admin": 403},
    ("PUT", f"{V1}/appointments/{{appointment}}/treatment"): ATTENDANCE
    | {"admin": 403, "doctor_x": 404},
    ("PUT", f"{V1}/patients/me"): {
        "anon": 401,
        "doctor_x": 403,
        "doctor_y": 403,
        "admin": 403,
        "reception": 403,
    },
    ("POST", f"{V1}/exports"): {"anon": 401, "doctor_x": 403, "doctor_y": 403, "reception": 403},
    # FHIR books for the patient who signs in only.
    ("POST", "/fhir/R4/Appointment"): {
        "anon": 401,
        "patient_b": 403,
        "doctor_x": 403,
        "doctor_y": 403,
        "admin": 403,
        "reception": 403,
    },
    # The front desk cancels only with a reason the patient is told (none here).
    ("PUT", "/fhir/R4/Appointment/{appointment}"): {
        "anon": 401,
        "patient_b": 404,
        "doctor_y": 404,
        "reception": 422,
    },
}


def _body(method: str, path: str, ids: dict) -> dict:
    """A request body that would do the thing, were the person allowed to."""
    if path.startswith("/fhir/"):
        return {
            "resourceType": "Appointment",
            "id": str(ids["appointment"]),
            "status": "cancelled",
            "start": "2026-12-04T10:00:00+05:30",
            "participant": [
                {"actor": {"reference": f"Patient/{ids['patient']}"}, "status": "accepted"},
                {"actor": {"reference": f"Practitioner/{ids['doctor']}"}, "status": "accepted"},
            ],
        }
    return {
        "name": "Renamed", "description": "", "reason": "mine now", "email": "eve@example.com",
        "first_name": "Eve", "last_name": "Intruder", "department_id": ids["department"],
        "specialization": "Hacking", "weekday": 0, "start_time": "14:00", "end_time": "15:00",
        "date": "2026-12-06", "kind": "treatments" if "exports" in path else "leave",
        "doctor_id": ids["doctor"],
        "start": "2026-12-04T10:00:00+05:30", "diagnosis": "x", "password": "x",
        "phone": "123",
    }  # fmt: skip


@pytest.fixture
def api_world(world):
    people, kwargs = world
    appointment = Appointment.objects.exclude(status=Appointment.Status.HELD).get()
    doctor = appointment.doctor
    ids = {
        "department": doctor.department_id,
        "doctor": doctor.pk,
        "appointment": appointment.pk,
        "patient": appointment.patient_id,
        "block": kwargs["scheduling:availability-block-delete"]["pk"],
        "exception": kwargs["scheduling:availability-exception-delete"]["pk"],
        "export": ExportJob.objects.get().pk,
        "slot": f"{doctor.pk}-202612040430",  # Friday 4 December, 10:00 clinic time: free
    }
    headers = {
        person: {"Authorization": f"Bearer {api_token_issue(user=user)[1]}"} if user else {}
        for person, user in people.items()
    }
    patient = appointment.patient
    patient.allergies = "Penicillin"
    patient.save()
    secrets = (patient.user.email, patient.patient_number)
    clinical = (patient.allergies, "Essential hypertension", "Amlodipine")
    return headers, ids, secrets, clinical


def _call(client, method, template, ids, headers):
    path = template.format(**ids)
    kwargs = {"headers": headers}
    if method in ("POST", "PUT"):
        content_type = "application/fhir+json" if path.startswith("/fhir/") else "application/json"
        kwargs.update(data=json.dumps(_body(method, template, ids)), content_type=content_type)
    return getattr(client, method.lower())(path, **kwargs)


def test_it_has_a_row_for_every_route(client):
    schema = client.get(f"{V1}/openapi.json").json()
    api_routes = {
        (method.upper(), path.replace("{pk}", "{x}"))
        for path, operations in schema["paths"].items()
        for method in operations
    }
    table = {("GET", p) for p in READS if p.startswith(V1)} | {
        w for w in WRITES if w[1].startswith(V1)
    }
    normalised = {
        (
            m,
            p.format(
                **dict.fromkeys(
                    ("department", "doctor", "appointment", "patient", "export"), "{x}"
                ),
                block="{block_id}",
                exception="{exception_id}",
            ),
        )
        for m, p in table
    }
    assert sorted(api_routes) == sorted(normalised)
    fhir_routes = {
        str(entry.pattern).replace("<str:pk>", "{}")
        for entry in get_resolver().url_patterns
        for route in getattr(entry, "url_patterns", [])
        if getattr(route, "namespace", None) == "fhir"
        for entry in route.url_patterns
    }
    fhir_table = set()
    for p in READS:
        if p.startswith("/fhir/R4/"):
            kind, _, rest = p.removeprefix("/fhir/R4/").split("?")[0].partition("/")
            fhir_table.add(kind + ("/{}" if rest else ""))
    assert fhir_routes == fhir_table


def test_it_gives_each_person_what_the_table_says_and_nothing_of_others(api_world):
    headers, ids, secrets, clinical = api_world
    wrong, leaks = {}, []
    for person in PEOPLE:
        client = Client()
        for template, expected in READS.items():
            response = _call(client, "GET", template, ids, headers[person])
            if response.status_code != expected[person]:
                wrong[f"GET {template} as {person}"] = response.status_code
            if person in STRANGERS and response.get("Content-Type", "").endswith("json"):
                leaks += [f"{template} as {person}" for s in secrets if s in response.text]
            if person in NO_RECORDS:
                leaks += [f"{template} as {person}: {s}" for s in clinical if s in response.text]

    assert wrong == {}
    assert leaks == []


def test_it_changes_nothing_on_a_refused_write(api_world):
    from auditlog.models import LogEntry

    headers, ids, _secrets, _clinical = api_world
    before = (
        LogEntry.objects.exclude(action=LogEntry.Action.ACCESS).count(),
        ExportJob.objects.count(),
    )
    wrong = {}
    for (method, template), expected in WRITES.items():
        for person, status in expected.items():
            if status is None:
                continue
            response = _call(Client(), method, template, ids, headers[person])
            if response.status_code != status:
                wrong[f"{method} {template} as {person}"] = response.status_code

    assert wrong == {}
    after = (
        LogEntry.objects.exclude(action=LogEntry.Action.ACCESS).count(),
        ExportJob.objects.count(),
    )
    assert after == before
