"""FHIR R4: every answer parses with fhirclient's R4 models; Slots are the slot
picker's; an Appointment booked through FHIR is found by a search.
"""

from __future__ import annotations

import json
from datetime import UTC

import pytest
from fhirclient.models.appointment import Appointment as FhirAppointment
from fhirclient.models.bundle import Bundle
from fhirclient.models.capabilitystatement import CapabilityStatement
from fhirclient.models.operationoutcome import OperationOutcome
from fhirclient.models.patient import Patient as FhirPatient
from fhirclient.models.practitioner import Practitioner
from fhirclient.models.practitionerrole import PractitionerRole
from fhirclient.models.schedule import Schedule
from fhirclient.models.slot import Slot

from api.tests.conftest import bearer
from clinic.tests.factories import PatientFactory
from scheduling import selectors
from scheduling.models import Appointment
from scheduling.tests.factories import book, local

pytestmark = pytest.mark.django_db

BASE = "/fhir/R4/"
MODELS = {
    "Bundle": Bundle,
    "CapabilityStatement": CapabilityStatement,
    "OperationOutcome": OperationOutcome,
    "Patient": FhirPatient,
    "Practitioner": Practitioner,
    "PractitionerRole": PractitionerRole,
    "Schedule": Schedule,
    "Slot": Slot,
    "Appointment": FhirAppointment,
}


def parsed(response):
    """The response's resource as fhirclient's strict R4 model (entries too)."""
    assert response["Content-Type"] == "application/fhir+json"
    body = response.json()
    resource = MODELS[body["resourceType"]](body, strict=True)
    for entry in body.get("entry", []):
        MODELS[entry["resource"]["resourceType"]](entry["resource"], strict=True)
    return body, resource


class Fhir:
    def __init__(self, client, user):
        self.client, self.headers = client, bearer(user) if user else {}

    def get(self, path, **params):
        return self.client.get(BASE + path, params, headers=self.headers)

    def post(self, path, body):
        return self._send("post", path, body)

    def put(self, path, body):
        return self._send("put", path, body)

    def _send(self, method, path, body):
        return getattr(self.client, method)(
            BASE + path,
            json.dumps(body),
            content_type="application/fhir+json",
            headers=self.headers,
        )


@pytest.fixture
def fhir_as(client):
    return lambda user=None: Fhir(client, user)


def _booking(doctor, start):
    return {
        "resourceType": "Appointment",
        "status": "booked",
        "start": start,
        "participant": [
            {"actor": {"reference": f"Practitioner/{doctor.pk}"}, "status": "accepted"}
        ],
    }


def test_it_states_its_capabilities(fhir_as):
    body, statement = parsed(fhir_as().get("metadata"))

    assert statement.fhirVersion == "4.0.1"
    kinds = {r["type"] for r in body["rest"][0]["resource"]}
    assert kinds == {
        "Patient", "Practitioner", "PractitionerRole", "Schedule", "Slot", "Appointment"
    }  # fmt: skip


def test_it_refuses_a_call_without_a_token_with_an_outcome(fhir_as, open_doctor):
    response = fhir_as().get("Practitioner")

    assert response.status_code == 401
    _body, outcome = parsed(response)
    assert outcome.issue[0].code == "login"


def test_it_gives_every_doctor_resource_in_r4(fhir_as, patient, open_doctor):
    fhir = fhir_as(patient.user)

    for kind in ("Practitioner", "PractitionerRole", "Schedule"):
        body, bundle = parsed(fhir.get(kind))
        assert bundle.type == "searchset"
        assert [e["resource"]["id"] for e in body["entry"]] == [str(open_doctor.pk)]
        one, _resource = parsed(fhir.get(f"{kind}/{open_doctor.pk}"))
        assert one["id"] == str(open_doctor.pk)
    _body, role = parsed(fhir.get(f"PractitionerRole/{open_doctor.pk}"))
    assert role.specialty[0].text == open_doctor.specialization


def test_it_gives_the_slot_pickers_slots(fhir_as, patient, open_doctor):
    book(PatientFactory(), open_doctor, local("2026-12-02 09:15"))
    fhir = fhir_as(patient.user)

    body, _bundle = parsed(
        fhir.get(
            "Slot",
            schedule=f"Schedule/{open_doctor.pk}",
            start=["ge2026-12-02", "lt2026-12-04"],
            status="free",
            _count=100,
        )
    )

    picker = selectors.free_slots(doctor=open_doctor)
    expected = [
        s.start for day, slots in picker.items() if day.isoformat() in ("2026-12-02", "2026-12-03")
        for s in slots
    ]  # fmt: skip
    got = [e["resource"]["start"] for e in body["entry"]]
    assert got == [s.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") for s in expected]
    assert body["total"] == len(expected) == 31


def test_it_marks_taken_times_busy(fhir_as, patient, open_doctor):
    book(PatientFactory(), open_doctor, local("2026-12-02 09:15"))

    body, _bundle = parsed(
        fhir_as(patient.user).get("Slot", schedule=f"Schedule/{open_doctor.pk}", status="busy")
    )

    assert [e["resource"]["start"] for e in body["entry"]] == ["2026-12-02T03:45:00Z"]


def test_it_pages_a_search_with_links(fhir_as, patient, open_doctor):
    fhir = fhir_as(patient.user)

    body, _bundle = parsed(fhir.get("Slot", schedule=f"Schedule/{open_doctor.pk}", _count=5))
    relations = {link["relation"]: link["url"] for link in body["link"]}
    following = fhir.client.get(relations["next"], headers=fhir.headers)

    assert len(body["entry"]) == 5
    next_body, _ = parsed(following)
    assert next_body["entry"][0]["resource"]["id"] != body["entry"][0]["resource"]["id"]
    assert {link["relation"] for link in next_body["link"]} == {"self", "next", "previous"}


def test_it_books_through_fhir_and_finds_it_by_search(fhir_as, patient, open_doctor):
    fhir = fhir_as(patient.user)

    created = fhir.post("Appointment", _booking(open_doctor, "2026-12-02T09:00:00+05:30"))
    assert created.status_code == 201, created.json()
    found = fhir.get(
        "Appointment", patient=f"Patient/{patient.pk}", date="2026-12-02", status="booked"
    )

    body, _bundle = parsed(found)
    assert [e["resource"]["id"] for e in body["entry"]] == [created.json()["id"]]
    appointment = Appointment.objects.get()
    assert (appointment.patient, appointment.doctor) == (patient, open_doctor)


def test_it_books_a_slot_by_its_reference(fhir_as, patient, open_doctor):
    fhir = fhir_as(patient.user)
    slots, _ = parsed(fhir.get("Slot", schedule=f"Schedule/{open_doctor.pk}", _count=1))
    slot = slots["entry"][0]["resource"]

    created = fhir.post(
        "Appointment",
        {
            "resourceType": "Appointment",
            "status": "booked",
            "slot": [{"reference": f"Slot/{slot['id']}"}],
            "participant": [
                {"actor": {"reference": f"Patient/{patient.pk}"}, "status": "accepted"}
            ],
        },
    )

    assert created.status_code == 201, created.json()
    assert created.json()["start"] == slot["start"]


def test_it_answers_a_taken_slot_with_a_409_outcome(fhir_as, patient, open_doctor):
    book(PatientFactory(), open_doctor, local("2026-12-02 09:00"))

    response = fhir_as(patient.user).post(
        "Appointment", _booking(open_doctor, "2026-12-02T09:00:00+05:30")
    )

    assert response.status_code == 409
    _body, outcome = parsed(response)
    assert outcome.issue[0].code == "conflict"
    assert Appointment.objects.filter(patient=patient).count() == 0


def test_it_cancels_by_an_update_to_cancelled(fhir_as, patient, open_doctor):
    appointment = book(patient, open_doctor, local("2026-12-02 09:00"))
    fhir = fhir_as(patient.user)
    resource = fhir.get(f"Appointment/{appointment.pk}").json()

    changed = fhir.put(f"Appointment/{appointment.pk}", {**resource, "status": "cancelled"})
    moved = fhir.put(f"Appointment/{appointment.pk}", {**resource, "status": "arrived"})

    _body, updated = parsed(changed)
    assert updated.status == "cancelled"
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED
    assert moved.status_code == 422


def test_it_lets_a_patient_read_only_themself(fhir_as, patient, admin_user):
    other = PatientFactory()
    fhir = fhir_as(patient.user)

    body, _ = parsed(fhir.get("Patient"))
    _mine, resource = parsed(fhir.get(f"Patient/{patient.pk}"))
    hidden = fhir.get(f"Patient/{other.pk}")

    assert [e["resource"]["id"] for e in body["entry"]] == [str(patient.pk)]
    assert resource.identifier[0].value == patient.patient_number
    assert hidden.status_code == 404
    parsed(hidden)
    staff, _ = parsed(fhir_as(admin_user).get("Patient", identifier=other.patient_number))
    assert [e["resource"]["id"] for e in staff["entry"]] == [str(other.pk)]


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("Patient/99999999999999999999999", {}),
        ("Slot/1-999999999999", {}),
        ("Slot", {}),
        ("Slot", {"schedule": "Schedule/abc"}),
        ("Appointment", {"date": "ge9999-12-31"}),
        ("Appointment", {"date": "tomorrow"}),
        ("Appointment", {"_count": "100000000"}),
        ("Appointment", {"bogus": "1"}),
        ("Practitioner", {"name": "a\x00b"}),
    ],
)
def test_it_answers_junk_with_a_4xx_outcome(fhir_as, admin_user, path, params):
    response = fhir_as(admin_user).get(path, **params)

    assert 400 <= response.status_code < 500
    parsed(response)


def test_it_finds_a_doctors_schedule_by_its_actor(fhir_as, patient, open_doctor):
    from clinic.tests.factories import DoctorFactory

    DoctorFactory()
    fhir = fhir_as(patient.user)

    by_practitioner, _ = parsed(fhir.get("Schedule", actor=f"Practitioner/{open_doctor.pk}"))
    by_role, _ = parsed(fhir.get("Schedule", actor=f"PractitionerRole/{open_doctor.pk}"))
    wrong = fhir.get("Schedule", actor=f"Patient/{open_doctor.pk}")

    assert [e["resource"]["id"] for e in by_practitioner["entry"]] == [str(open_doctor.pk)]
    assert by_role["total"] == 1
    assert wrong.status_code == 400
