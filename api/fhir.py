"""FHIR R4 at /fhir/R4/: the scheduling and patient resources, JSON only.

Patient, Practitioner, PractitionerRole, Schedule (one per doctor), Slot
(from the same free-slot selector as the slot picker, plus the doctor's taken
times as busy), and Appointment (search, create through the booking service,
update to cancelled). The same bearer tokens as /api/v1/, the same
role-scoped querysets: someone else's id is a 404 OperationOutcome.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from accounts.roles import Role
from accounts.services import api_token_user
from api.auth import _audit_as, bearer_from_header
from api.errors import error_items, error_status
from api.types import FIRST_DAY, LAST_DAY, MAX_ID
from clinic import selectors as clinic_selectors
from clinic.models import Doctor, Patient
from hms.audit import record_access
from hms.clinic_time import clinic_zone, day_range
from scheduling import selectors, services
from scheduling.models import Appointment

FHIR_JSON = "application/fhir+json"
FHIR_VERSION = "4.0.1"
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_PAGE = 10_000
PATIENT_NUMBER_SYSTEM = "urn:hms:patient-number"

STATUS_TO_FHIR = {
    Appointment.Status.BOOKED: "booked",
    Appointment.Status.ARRIVED: "arrived",
    Appointment.Status.HELD: "pending",  # a freed slot held for a waitlisted patient
    Appointment.Status.COMPLETED: "fulfilled",
    Appointment.Status.CANCELLED: "cancelled",
    Appointment.Status.NO_SHOW: "noshow",
}
FHIR_TO_STATUS = {v: k for k, v in STATUS_TO_FHIR.items()}
GENDERS = {"female": "female", "male": "male", "other": "other", "undisclosed": "unknown"}


class FhirError(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def _respond(body: dict, status: int = 200, **headers) -> JsonResponse:
    response = JsonResponse(body, status=status, content_type=FHIR_JSON)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def outcome(status: int, code: str, *messages: str) -> JsonResponse:
    issues = [{"severity": "error", "code": code, "diagnostics": m} for m in messages or [code]]
    return _respond({"resourceType": "OperationOutcome", "issue": issues}, status=status)


def _fhir_view(methods: tuple[str, ...], *, public: bool = False):
    """Authenticate the bearer token and turn every refusal into an OperationOutcome."""

    def decorator(view):
        @csrf_exempt
        def wrapped(request: HttpRequest, *args, **kwargs):
            if request.method not in methods:
                response = outcome(405, "not-supported", _("This method is not supported here."))
                response["Allow"] = ", ".join(methods)
                return response
            if not public:
                raw = bearer_from_header(request)
                user = api_token_user(raw=raw) if raw else None
                if user is None:
                    response = outcome(401, "login", _("Send a valid bearer token."))
                    response["WWW-Authenticate"] = 'Bearer realm="hms"'
                    return response
                request.user = user
                _audit_as(user)
            try:
                return view(request, *args, **kwargs)
            except FhirError as exc:
                return outcome(exc.status, exc.code, exc.message)
            except (Http404, Doctor.DoesNotExist, Patient.DoesNotExist, Appointment.DoesNotExist):
                return outcome(404, "not-found", _("Not found."))
            except PermissionDenied:
                return outcome(403, "forbidden", _("This is not available to your role."))
            except ValidationError as exc:
                status = error_status(exc)
                code = "conflict" if status == 409 else "invalid"
                messages = [
                    f"{i['field']}: {i['message']}" if i["field"] else i["message"]
                    for i in error_items(exc)
                ]
                return outcome(status, code, *messages)

        return wrapped

    return decorator


def _require(request: HttpRequest, *roles: Role) -> None:
    if request.user.role not in roles:
        raise PermissionDenied


def _id(value: str) -> int:
    if not re.fullmatch(r"[0-9]{1,19}", value) or not 0 < int(value) <= MAX_ID:
        raise Http404
    return int(value)


def _ref_id(reference: str, kind: str) -> int:
    """The id in ``Patient/12`` (or a bare ``12``) for a ``kind`` reference."""
    value = (
        reference.split("/")[-1] if reference.startswith(f"{kind}/") or "/" not in reference else ""
    )
    if not re.fullmatch(r"[0-9]{1,19}", value) or not 0 < int(value) <= MAX_ID:
        raise FhirError(
            400,
            "invalid",
            _("%(value)s is not a %(kind)s reference.") % {"value": reference, "kind": kind},
        )
    return int(value)


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/fhir/R4/")


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


# Search parameters


def _params(request: HttpRequest, allowed: set[str]) -> dict[str, list[str]]:
    params: dict[str, list[str]] = {}
    for name in request.GET:
        if name not in allowed | {"_count", "_page"}:
            raise FhirError(400, "not-supported", _("Unknown search parameter: %s") % name[:60])
        values = request.GET.getlist(name)
        if any("\x00" in v or len(v) > 200 for v in values):
            raise FhirError(400, "invalid", _("Invalid value for %s.") % name)
        params[name] = values
    return params


def _int_param(params, name: str, default: int, maximum: int) -> int:
    raw = (params.get(name) or [str(default)])[0]
    if not re.fullmatch(r"[0-9]{1,6}", raw) or not 1 <= int(raw) <= maximum:
        raise FhirError(
            400,
            "invalid",
            _("%(name)s must be a number from 1 to %(max)s.") % {"name": name, "max": maximum},
        )
    return int(raw)


PREFIXED = re.compile(
    r"^(eq|ne|gt|lt|ge|le|sa|eb)?(\d{4}-\d{2}-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:\d{2})?)?)$"
)


def _moment_range(value: str) -> tuple[str, datetime, datetime]:
    """A FHIR date search value as (prefix, start, end) of the moment or clinic day it names."""
    match = PREFIXED.match(value)
    if not match:
        raise FhirError(400, "invalid", _("Not a FHIR date: %s") % value[:40])
    prefix, text = match.group(1) or "eq", match.group(2)
    try:
        if "T" in text:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=clinic_zone())
            start = end = moment
        else:
            start, end = day_range(date.fromisoformat(text))
    except (ValueError, OverflowError) as exc:
        raise FhirError(400, "invalid", _("Not a FHIR date: %s") % value[:40]) from exc
    if not FIRST_DAY <= start.date() <= LAST_DAY:
        raise FhirError(400, "invalid", _("Choose a date between the years 1900 and 2999."))
    if prefix in ("ne", "sa", "eb"):
        raise FhirError(400, "not-supported", _("Date prefix %s is not supported.") % prefix)
    return prefix, start, end


def _date_filters(values: list[str], field: str) -> dict[str, datetime]:
    """Django lookups on ``field`` for the date search values (ANDed, as FHIR says)."""
    lookups: dict[str, datetime] = {}
    for value in values:
        prefix, start, end = _moment_range(value)
        if prefix == "eq":
            if start == end:
                lookups[f"{field}"] = start
            else:
                lookups[f"{field}__gte"], lookups[f"{field}__lt"] = start, end
        elif prefix == "ge":
            lookups[f"{field}__gte"] = start
        elif prefix == "gt":
            lookups[f"{field}__gte" if start != end else f"{field}__gt"] = end
        elif prefix == "lt":
            lookups[f"{field}__lt"] = start
        elif prefix == "le":
            lookups[f"{field}__lt" if start != end else f"{field}__lte"] = end
    return lookups


def _matches(moment: datetime, lookups: dict[str, datetime], field: str) -> bool:
    checks = {
        "": lambda a, b: a == b,
        "__gte": lambda a, b: a >= b,
        "__gt": lambda a, b: a > b,
        "__lt": lambda a, b: a < b,
        "__lte": lambda a, b: a <= b,
    }
    return all(checks[key[len(field) :]](moment, bound) for key, bound in lookups.items())


def _bundle(request: HttpRequest, params, kind: str, items, convert) -> JsonResponse:
    """A searchset Bundle of one page of ``items`` with self/next/previous links."""
    count = _int_param(params, "_count", PAGE_SIZE, MAX_PAGE_SIZE)
    page = _int_param(params, "_page", 1, MAX_PAGE)
    total = items.count() if hasattr(items, "count") and not isinstance(items, list) else len(items)
    rows = list(items[(page - 1) * count : page * count])
    base = _base(request)
    query = {k: v for k, v in params.items() if k not in ("_page",)}

    def link(relation: str, number: int) -> dict:
        return {
            "relation": relation,
            "url": f"{base}{kind}?" + urlencode({**query, "_page": [str(number)]}, doseq=True),
        }

    links = [link("self", page)]
    if page * count < total:
        links.append(link("next", page + 1))
    if page > 1:
        links.append(link("previous", page - 1))
    entries = []
    for row in rows:
        resource = convert(row)
        entries.append(
            {
                "fullUrl": f"{base}{resource['resourceType']}/{resource['id']}",
                "resource": resource,
                "search": {"mode": "match"},
            }
        )
    return _respond(
        {
            "resourceType": "Bundle",
            "type": "searchset",
            "total": total,
            "link": links,
            "entry": entries,
        }
    )


# Resources


def patient_resource(p: Patient) -> dict[str, Any]:
    u = p.user
    resource: dict[str, Any] = {
        "resourceType": "Patient",
        "id": str(p.pk),
        "identifier": [{"system": PATIENT_NUMBER_SYSTEM, "value": p.patient_number}],
        "active": u.is_active,
        "name": [{"use": "official", "family": u.last_name, "given": [u.first_name]}],
        "telecom": [{"system": "email", "value": u.email}],
    }
    if u.phone:
        resource["telecom"].append({"system": "phone", "value": u.phone})
    if p.gender:
        resource["gender"] = GENDERS.get(p.gender, "unknown")
    if p.date_of_birth:
        resource["birthDate"] = p.date_of_birth.isoformat()
    return resource


def practitioner_resource(d: Doctor) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Practitioner",
        "id": str(d.pk),
        "active": d.user.is_active,
        "name": [
            {
                "use": "official",
                "family": d.user.last_name,
                "given": [d.user.first_name],
                "prefix": ["Dr."],
            }
        ],
    }
    if d.qualification:
        resource["qualification"] = [{"code": {"text": d.qualification}}]
    return resource


def practitioner_role_resource(d: Doctor) -> dict[str, Any]:
    return {
        "resourceType": "PractitionerRole",
        "id": str(d.pk),
        "active": d.is_bookable,
        "practitioner": {"reference": f"Practitioner/{d.pk}", "display": str(d)},
        "code": [{"text": d.department.name}],
        "specialty": [{"text": d.specialization}],
    }


def schedule_resource(d: Doctor, now: datetime | None = None) -> dict[str, Any]:
    start, end = day_range(*selectors.booking_window(now))
    return {
        "resourceType": "Schedule",
        "id": str(d.pk),
        "active": d.is_bookable,
        "serviceType": [{"text": d.department.name}],
        "specialty": [{"text": d.specialization}],
        "actor": [
            {"reference": f"Practitioner/{d.pk}", "display": str(d)},
            {"reference": f"PractitionerRole/{d.pk}"},
        ],
        "planningHorizon": {"start": _iso(start), "end": _iso(end)},
    }


def slot_id(doctor_id: int, start: datetime) -> str:
    return f"{doctor_id}-{start.astimezone(UTC):%Y%m%d%H%M}"


def slot_resource(doctor_id: int, start: datetime, end: datetime, status: str) -> dict[str, Any]:
    return {
        "resourceType": "Slot",
        "id": slot_id(doctor_id, start),
        "schedule": {"reference": f"Schedule/{doctor_id}"},
        "status": status,
        "start": _iso(start),
        "end": _iso(end),
    }


def appointment_resource(a: Appointment) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Appointment",
        "id": str(a.pk),
        "status": STATUS_TO_FHIR.get(a.status, "booked"),
        "start": _iso(a.start),
        "end": _iso(a.end),
        "minutesDuration": int((a.end - a.start).total_seconds() // 60),
        "slot": [{"reference": f"Slot/{slot_id(a.doctor_id, a.start)}"}],
        "created": _iso(a.created_at),
        "participant": [
            {
                "actor": {"reference": f"Patient/{a.patient_id}", "display": str(a.patient)},
                "required": "required",
                "status": "accepted",
            },
            {
                "actor": {"reference": f"Practitioner/{a.doctor_id}", "display": str(a.doctor)},
                "required": "required",
                "status": "accepted",
            },
        ],
    }
    if a.reason:
        resource["description"] = a.reason
    if a.cancellation_reason:
        resource["cancelationReason"] = {"text": a.cancellation_reason}
    return resource


# Endpoints


@_fhir_view(("GET",), public=True)
def metadata(request: HttpRequest) -> JsonResponse:
    """The CapabilityStatement: what this server reads, searches and writes."""

    def resource(kind: str, params: list[tuple[str, str]], write: tuple[str, ...] = ()):
        return {
            "type": kind,
            "interaction": [{"code": c} for c in ("read", "search-type", *write)],
            "searchParam": [{"name": n, "type": t} for n, t in params],
        }

    return _respond(
        {
            "resourceType": "CapabilityStatement",
            "status": "active",
            "date": "2026-12-01",
            "publisher": settings.HMS_CLINIC_NAME,
            "kind": "instance",
            "software": {"name": "HMS"},
            "implementation": {"description": settings.HMS_CLINIC_NAME, "url": _base(request)},
            "fhirVersion": FHIR_VERSION,
            "format": [FHIR_JSON, "json"],
            "rest": [
                {
                    "mode": "server",
                    "security": {
                        "description": "Bearer tokens from POST /api/v1/auth/token.",
                    },
                    "resource": [
                        resource(
                            "Patient",
                            [("_id", "token"), ("identifier", "token"), ("name", "string")],
                        ),
                        resource("Practitioner", [("_id", "token"), ("name", "string")]),
                        resource(
                            "PractitionerRole",
                            [
                                ("_id", "token"),
                                ("practitioner", "reference"),
                                ("specialty", "token"),
                            ],
                        ),
                        resource("Schedule", [("_id", "token"), ("actor", "reference")]),
                        resource(
                            "Slot",
                            [("schedule", "reference"), ("start", "date"), ("status", "token")],
                        ),
                        resource(
                            "Appointment",
                            [
                                ("_id", "token"),
                                ("patient", "reference"),
                                ("practitioner", "reference"),
                                ("date", "date"),
                                ("status", "token"),
                            ],
                            write=("create", "update"),
                        ),
                    ],
                }
            ],
        }
    )


def _patients(request: HttpRequest):
    return Patient.objects.visible_to(request.user).select_related("user").order_by("pk")


@_fhir_view(("GET",))
def patient_search(request: HttpRequest) -> JsonResponse:
    """Staff search the patients they may see; a patient finds only themself."""
    params = _params(request, {"_id", "identifier", "name"})
    found = _patients(request)
    if "name" in params:
        query = " ".join(params["name"])
        found = clinic_selectors.patient_search(user=request.user, query=query).order_by("pk")
    if "_id" in params:
        found = found.filter(pk__in=[_ref_id(v, "Patient") for v in params["_id"][0].split(",")])
    for value in params.get("identifier", []):
        number = value.split("|")[-1]
        pk = clinic_selectors.patient_pk_from_number(number)
        found = found.filter(pk=pk) if pk is not None and pk <= MAX_ID else found.none()
    return _bundle(request, params, "Patient", found, patient_resource)


@_fhir_view(("GET",))
def patient_read(request: HttpRequest, pk: str) -> JsonResponse:
    patient = _patients(request).get(pk=_id(pk))
    record_access(patient, by=request.user)
    return _respond(patient_resource(patient))


def _doctors(request: HttpRequest):
    return (
        Doctor.objects.visible_to(request.user).select_related("user", "department").order_by("pk")
    )


def _doctor_search(request: HttpRequest, kind: str, convert, extra: set[str]):
    params = _params(request, {"_id", *extra})
    found = _doctors(request)
    if "_id" in params:
        found = found.filter(pk__in=[_ref_id(v, kind) for v in params["_id"][0].split(",")])
    if "name" in params:
        query = " ".join(params["name"])
        found = clinic_selectors.doctor_search(user=request.user, query=query).order_by("pk")
    for value in params.get("practitioner", []):
        found = found.filter(pk=_ref_id(value, "Practitioner"))
    for value in params.get("actor", []):
        # A Schedule's actors are the doctor's Practitioner and PractitionerRole (same id).
        kind = value.split("/")[0] if "/" in value else "Practitioner"
        if kind not in ("Practitioner", "PractitionerRole"):
            raise FhirError(400, "invalid", _("A schedule's actor is a Practitioner."))
        found = found.filter(pk=_ref_id(value, kind))
    for value in params.get("specialty", []):
        found = found.filter(specialization__icontains=value.split("|")[-1])
    return _bundle(request, params, kind, found, convert)


@_fhir_view(("GET",))
def practitioner_search(request: HttpRequest) -> JsonResponse:
    return _doctor_search(request, "Practitioner", practitioner_resource, {"name"})


@_fhir_view(("GET",))
def practitioner_read(request: HttpRequest, pk: str) -> JsonResponse:
    return _respond(practitioner_resource(_doctors(request).get(pk=_id(pk))))


@_fhir_view(("GET",))
def practitioner_role_search(request: HttpRequest) -> JsonResponse:
    return _doctor_search(
        request, "PractitionerRole", practitioner_role_resource, {"practitioner", "specialty"}
    )


@_fhir_view(("GET",))
def practitioner_role_read(request: HttpRequest, pk: str) -> JsonResponse:
    return _respond(practitioner_role_resource(_doctors(request).get(pk=_id(pk))))


@_fhir_view(("GET",))
def schedule_search(request: HttpRequest) -> JsonResponse:
    return _doctor_search(request, "Schedule", schedule_resource, {"actor"})


@_fhir_view(("GET",))
def schedule_read(request: HttpRequest, pk: str) -> JsonResponse:
    return _respond(schedule_resource(_doctors(request).get(pk=_id(pk))))


def doctor_slots(doctor: Doctor) -> list[tuple[datetime, datetime, str]]:
    """The doctor's slots in the booking window: the slot picker's free ones (its
    cached grid), and the times of their active appointments as busy.
    """
    first, last = selectors.booking_window()
    free = [
        (x.start, x.end, "free") for day in selectors.slot_grid(doctor=doctor).values() for x in day
    ]
    taken = (
        selectors.doctor_between(doctor=doctor, first=first, last=last)
        .active()
        .values_list("start", "end")
    )
    busy = [(start, end, "busy") for start, end in taken]
    return sorted(free + busy)


@_fhir_view(("GET",))
def slot_search(request: HttpRequest) -> JsonResponse:
    """Slots of one Schedule (``schedule=Schedule/12``, required), by start and status."""
    params = _params(request, {"schedule", "start", "status"})
    if not params.get("schedule"):
        raise FhirError(
            400, "required", _("Search slots of one schedule: ?schedule=Schedule/<id>.")
        )
    doctor = _doctors(request).get(pk=_ref_id(params["schedule"][0], "Schedule"))
    lookups = _date_filters(params.get("start", []), "start")
    statuses = {v for value in params.get("status", []) for v in value.split(",")}
    if statuses - {"free", "busy"}:
        raise FhirError(400, "invalid", _("Slot status is free or busy."))
    slots = [
        (start, end, status)
        for start, end, status in doctor_slots(doctor)
        if _matches(start, lookups, "start") and (not statuses or status in statuses)
    ]
    return _bundle(request, params, "Slot", slots, lambda row: slot_resource(doctor.pk, *row))


SLOT_ID = re.compile(r"^([0-9]{1,19})-([0-9]{12})$")


def _slot_from_id(request: HttpRequest, value: str) -> tuple[Doctor, datetime]:
    match = SLOT_ID.match(value)
    if not match or not 0 < int(match.group(1)) <= MAX_ID:
        raise Http404
    try:
        start = datetime.strptime(match.group(2), "%Y%m%d%H%M").replace(tzinfo=UTC)
    except ValueError as exc:
        raise Http404 from exc
    return _doctors(request).get(pk=int(match.group(1))), start


@_fhir_view(("GET",))
def slot_read(request: HttpRequest, pk: str) -> JsonResponse:
    doctor, start = _slot_from_id(request, pk)
    for slot_start, end, status in doctor_slots(doctor):
        if slot_start == start:
            return _respond(slot_resource(doctor.pk, slot_start, end, status))
    raise Http404


def _appointments(request: HttpRequest):
    return selectors.appointments_for(request.user).order_by("start", "pk")


@_fhir_view(("GET", "POST"))
def appointment_search(request: HttpRequest) -> JsonResponse:
    if request.method == "POST":
        return appointment_create(request)
    params = _params(request, {"_id", "patient", "practitioner", "actor", "date", "status"})
    found = _appointments(request)
    if "_id" in params:
        found = found.filter(
            pk__in=[_ref_id(v, "Appointment") for v in params["_id"][0].split(",")]
        )
    for value in params.get("patient", []):
        found = found.filter(patient_id=_ref_id(value, "Patient"))
    for value in params.get("practitioner", []):
        found = found.filter(doctor_id=_ref_id(value, "Practitioner"))
    for value in params.get("actor", []):
        kind = value.split("/")[0] if "/" in value else "Patient"
        if kind == "Practitioner":
            found = found.filter(doctor_id=_ref_id(value, "Practitioner"))
        else:
            found = found.filter(patient_id=_ref_id(value, "Patient"))
    found = found.filter(**_date_filters(params.get("date", []), "start"))
    statuses = {v for value in params.get("status", []) for v in value.split(",")}
    if statuses:
        if statuses - set(FHIR_TO_STATUS):
            raise FhirError(400, "invalid", _("Unknown appointment status."))
        found = found.filter(status__in=[FHIR_TO_STATUS[v] for v in statuses])
    return _bundle(request, params, "Appointment", found, appointment_resource)


def _body(request: HttpRequest, kind: str) -> dict:
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError) as exc:
        raise FhirError(400, "structure", _("The body is not JSON.")) from exc
    if not isinstance(body, dict) or body.get("resourceType") != kind:
        raise FhirError(400, "structure", _("Send one %s resource.") % kind)
    return body


def _moment(value) -> datetime:
    if not isinstance(value, str):
        raise FhirError(422, "invalid", _("Give the appointment's start as an instant."))
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise FhirError(422, "invalid", _("Give the appointment's start as an instant.")) from exc
    if moment.tzinfo is None or not FIRST_DAY <= moment.date() <= LAST_DAY:
        raise FhirError(422, "invalid", _("Give the appointment's start with its time zone."))
    return moment


def _participants(body: dict) -> dict[str, int]:
    found: dict[str, int] = {}
    for participant in body.get("participant") or []:
        reference = (
            ((participant or {}).get("actor") or {}).get("reference")
            if isinstance(participant, dict)
            else None
        )
        if isinstance(reference, str) and "/" in reference:
            kind = reference.split("/")[0]
            if kind in ("Patient", "Practitioner"):
                found[kind] = _ref_id(reference, kind)
    return found


def appointment_create(request: HttpRequest) -> JsonResponse:
    """Book through the booking service: a patient books for themself, naming the
    Practitioner and the start (or a Slot). A taken slot is a 409.
    """
    _require(request, Role.PATIENT)
    body = _body(request, "Appointment")
    who = _participants(body)
    patient = Patient.objects.select_related("user").get(user=request.user)
    if who.get("Patient", patient.pk) != patient.pk:
        raise PermissionDenied
    start_text = body.get("start")
    doctor_id = who.get("Practitioner")
    slots = body.get("slot") or []
    if slots and isinstance(slots, list) and isinstance(slots[0], dict):
        match = SLOT_ID.match(str(slots[0].get("reference", "")).removeprefix("Slot/"))
        if not match:
            raise FhirError(422, "invalid", _("Not a Slot reference."))
        doctor_id = int(match.group(1))
        start_text = (
            start_text
            or datetime.strptime(match.group(2), "%Y%m%d%H%M").replace(tzinfo=UTC).isoformat()
        )
    if doctor_id is None:
        raise FhirError(422, "required", _("Name the Practitioner (a participant) or a Slot."))
    start = _moment(start_text)
    doctor = selectors.bookable_doctors().get(pk=doctor_id)
    reason = body.get("description") if isinstance(body.get("description"), str) else ""
    appointment = services.appointment_book(
        patient=patient, doctor=doctor, start=start, reason=reason.replace("\x00", "")[:500]
    )
    resource = appointment_resource(appointment)
    return _respond(resource, status=201, Location=f"{_base(request)}Appointment/{appointment.pk}")


@_fhir_view(("GET", "PUT"))
def appointment_read(request: HttpRequest, pk: str) -> JsonResponse:
    appointment = _appointments(request).get(pk=_id(pk))
    if request.method == "PUT":
        return appointment_update(request, appointment)
    return _respond(appointment_resource(appointment))


def appointment_update(request: HttpRequest, appointment: Appointment) -> JsonResponse:
    """The one change FHIR may make: status ``cancelled`` (through the cancel service)."""
    body = _body(request, "Appointment")
    if str(body.get("id", appointment.pk)) != str(appointment.pk):
        raise FhirError(400, "invalid", _("The body's id is not this appointment's."))
    if body.get("status") != "cancelled":
        raise FhirError(
            422, "not-supported", _("Only a change of status to cancelled is supported.")
        )
    reason = (
        (body.get("cancelationReason") or {})
        if isinstance(body.get("cancelationReason"), dict)
        else {}
    )
    text = reason.get("text") if isinstance(reason.get("text"), str) else ""
    appointment = services.appointment_cancel(
        appointment=appointment, by=request.user, reason=text.replace("\x00", "")[:500]
    )
    return _respond(appointment_resource(appointment))


def urls():
    return (
        [
            path("metadata", metadata, name="metadata"),
            path("Patient", patient_search, name="patient-search"),
            path("Patient/<str:pk>", patient_read, name="patient-read"),
            path("Practitioner", practitioner_search, name="practitioner-search"),
            path("Practitioner/<str:pk>", practitioner_read, name="practitioner-read"),
            path("PractitionerRole", practitioner_role_search, name="practitionerrole-search"),
            path("PractitionerRole/<str:pk>", practitioner_role_read, name="practitionerrole-read"),
            path("Schedule", schedule_search, name="schedule-search"),
            path("Schedule/<str:pk>", schedule_read, name="schedule-read"),
            path("Slot", slot_search, name="slot-search"),
            path("Slot/<str:pk>", slot_read, name="slot-read"),
            path("Appointment", appointment_search, name="appointment-search"),
            path("Appointment/<str:pk>", appointment_read, name="appointment-read"),
        ],
        "fhir",
        "fhir",
    )
