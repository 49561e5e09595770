"""The JSON API, version 1, at /api/v1/ (django-ninja; docs at /api/v1/docs).

Another door into the same rooms as the pages: every read starts from the
same role-scoped querysets (``visible_to``) and selectors, every write is a
call to the same service, and a service's ValidationError becomes a 4xx body
with its field and message (``api.errors``). Someone else's id is a 404, a
route of another role a 403, as on the pages.
"""

from __future__ import annotations

import base64
import binascii
import uuid
from datetime import datetime
from typing import Any

from django.contrib.auth import authenticate
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query, Router, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaError

from accounts.roles import FRONT_DESK, Role
from accounts.services import api_token_issue, api_token_revoke_key
from api import schemas as s
from api.auth import BearerToken, Session
from api.errors import error_body, error_status
from api.types import Day, Id, Text
from clinic import selectors as clinic_selectors
from clinic import services as clinic_services
from clinic.models import Department, Doctor, Patient, Treatment, reads_clinical_records
from hms.audit import record_access
from hms.clinic_time import clinic_today
from reports import selectors as report_selectors
from reports import services as report_services
from reports.models import ExportJob
from scheduling import selectors, services
from scheduling.forms import AppointmentFilterForm
from scheduling.models import Appointment, AvailabilityException, WeeklyAvailability

PAGE_SIZE = 25
MAX_PAGE_SIZE = 100

api = NinjaAPI(
    title="HMS API",
    version="1",
    description=(
        "The hospital's JSON API. Get a token with `POST /api/v1/auth/token` and send it as "
        "`Authorization: Bearer <token>`. Times are ISO 8601 with their offset; dates are "
        "clinic-local days."
    ),
    urls_namespace="api-v1",
    auth=[BearerToken(), Session()],
)

ERRORS = {400: s.ErrorOut, 401: s.ErrorOut, 403: s.ErrorOut, 404: s.ErrorOut, 422: s.ErrorOut}
WRITE_ERRORS = {**ERRORS, 409: s.ErrorOut}


# Errors: one body for every refusal.


def _error(request, status: int, message: str, items=None):
    body = {"detail": message, "errors": items or [{"field": None, "message": message}]}
    return api.create_response(request, body, status=status)


@api.exception_handler(ValidationError)
def _service_refused(request, exc: ValidationError):
    return api.create_response(request, error_body(exc), status=error_status(exc))


@api.exception_handler(SchemaError)
def _schema_refused(request, exc: SchemaError):
    items = [
        {
            # ("body", "payload", "start") -> "start"; ("query", "date_from") -> "date_from"
            "field": ".".join(str(p) for p in e.get("loc", ())[1:] if p != "payload") or None,
            "message": e.get("msg", _("Invalid value.")),
        }
        for e in exc.errors
    ]
    return _error(request, 422, " ".join(i["message"] for i in items), items)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    response = _error(request, 401, _("Sign in: send a valid bearer token."))
    response["WWW-Authenticate"] = 'Bearer realm="hms"'
    return response


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return _error(request, 403, str(exc) or _("This is not available to your role."))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, 404, _("Not found."))


@api.exception_handler(ObjectDoesNotExist)
def _does_not_exist(request, exc):
    return _error(request, 404, _("Not found."))


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return _error(request, exc.status_code, str(exc))


def _require(request: HttpRequest, *roles: Role) -> None:
    if request.user.role not in roles:
        raise PermissionDenied(_("This is not available to your role."))


# Shapes


def _doctor(d: Doctor) -> dict[str, Any]:
    return {
        "id": d.pk,
        "first_name": d.user.first_name,
        "last_name": d.user.last_name,
        "name": str(d),
        "department_id": d.department_id,
        "department": d.department.name,
        "specialization": d.specialization,
        "qualification": d.qualification,
        "experience_years": d.experience_years,
        "consultation_minutes": d.consultation_minutes,
        "bio": d.bio,
        "is_accepting_patients": d.is_accepting_patients,
        "is_active": d.user.is_active,
    }


def _appointment(request: HttpRequest, a: Appointment) -> dict[str, Any]:
    """An appointment; its visit record's id only to those who read records."""
    return {
        "id": a.pk,
        "patient_id": a.patient_id,
        "patient": str(a.patient),
        "patient_number": a.patient.patient_number,
        "doctor_id": a.doctor_id,
        "doctor": str(a.doctor),
        "department": a.doctor.department.name,
        "start": a.start,
        "end": a.end,
        "status": a.status,
        "reason": a.reason,
        "cancellation_reason": a.cancellation_reason,
        "treatment_id": a.treatment_id if reads_clinical_records(request.user) else None,
    }


def _treatment(t: Treatment) -> dict[str, Any]:
    return {
        "id": t.pk,
        "patient_id": t.patient_id,
        "doctor_id": t.doctor_id,
        "doctor": str(t.doctor),
        "visit_date": t.visit_date,
        "diagnosis": t.diagnosis,
        "icd10_code": t.icd10_code,
        "notes": t.notes,
        "next_visit_on": t.next_visit_on,
        "items": [
            {
                "medicine": i.medicine,
                "dosage": i.dosage,
                "frequency": i.frequency,
                "duration_days": i.duration_days,
                "instructions": i.instructions,
            }
            for i in t.items.all()
        ],
    }


def _patient(request: HttpRequest, p: Patient) -> dict[str, Any]:
    """A patient's details; the clinical ones (blood group, allergies) are null
    for those who read no clinical records (the front desk).
    """
    u = p.user
    clinical = reads_clinical_records(request.user)
    return {
        "id": p.pk,
        "patient_number": p.patient_number,
        "first_name": u.first_name,
        "last_name": u.last_name,
        "email": u.email,
        "phone": u.phone,
        "date_of_birth": p.date_of_birth,
        "gender": p.gender,
        "blood_group": p.blood_group if clinical else None,
        "address": p.address,
        "emergency_contact_name": p.emergency_contact_name,
        "emergency_contact_phone": p.emergency_contact_phone,
        "allergies": p.allergies if clinical else None,
        "is_active": u.is_active,
    }


def _export(request: HttpRequest, job: ExportJob) -> dict[str, Any]:
    done = job.status == ExportJob.Status.DONE
    return {
        "id": str(job.pk),
        "kind": job.kind,
        "status": job.status,
        "row_count": job.row_count,
        "percent": job.percent,
        "error": job.error,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
        "expires_at": job.expires_at,
        "download_url": reverse("api-v1:export-download", args=[job.pk]) if done else None,
    }


# Tokens

auth = Router(tags=["auth"])


@auth.post(
    "/token",
    auth=None,
    response={201: s.TokenOut, 401: s.ErrorOut, 422: s.ErrorOut, 429: s.ErrorOut},
    summary="Sign in: e-mail and password for a bearer token",
)
def token_create(request: HttpRequest, payload: s.TokenIn):
    """Wrong passwords count toward the same lockout as the sign-in page."""
    user = authenticate(request, username=payload.email, password=payload.password)
    if user is None:
        # A lockout is answered (429) by django-axes' middleware.
        return Status(
            401,
            {
                "detail": _("That e-mail and password do not match an active account."),
                "errors": [
                    {
                        "field": None,
                        "message": _("That e-mail and password do not match an active account."),
                    }
                ],
            },
        )
    token, raw = api_token_issue(user=user, name=payload.name)
    return Status(201, {"id": token.pk, "token": raw, "expires_at": token.expires_at})


@auth.delete(
    "/token",
    auth=BearerToken(),
    response={204: None, 401: s.ErrorOut},
    summary="Sign out: revoke the bearer token of this request",
)
def token_delete(request: HttpRequest):
    api_token_revoke_key(user=request.user, raw=request.api_token)
    return Status(204, None)


api.add_router("/auth", auth)


# Departments

departments = Router(tags=["departments"])


@departments.get("", response={200: list[s.DepartmentOut], **ERRORS})
def department_list(request: HttpRequest):
    """Every department you may see: the active ones, and for admins all."""
    return list(Department.objects.visible_to(request.user).order_by("name"))


@departments.post("", response={201: s.DepartmentOut, **WRITE_ERRORS})
def department_create(request: HttpRequest, payload: s.DepartmentIn):
    _require(request, Role.ADMIN)
    return Status(
        201, clinic_services.department_create(name=payload.name, description=payload.description)
    )


def _department(request: HttpRequest, pk: int) -> Department:
    return get_object_or_404(Department.objects.visible_to(request.user), pk=pk)


@departments.get("/{pk}", response={200: s.DepartmentOut, **ERRORS})
def department_detail(request: HttpRequest, pk: Id):
    return _department(request, pk)


@departments.put("/{pk}", response={200: s.DepartmentOut, **WRITE_ERRORS})
def department_update(request: HttpRequest, pk: Id, payload: s.DepartmentIn):
    _require(request, Role.ADMIN)
    return clinic_services.department_update(
        department=_department(request, pk), name=payload.name, description=payload.description
    )


@departments.post("/{pk}/deactivate", response={200: s.DepartmentOut, **WRITE_ERRORS})
def department_deactivate(request: HttpRequest, pk: Id):
    _require(request, Role.ADMIN)
    return clinic_services.department_set_active(
        department=_department(request, pk), is_active=False
    )


@departments.post("/{pk}/activate", response={200: s.DepartmentOut, **WRITE_ERRORS})
def department_activate(request: HttpRequest, pk: Id):
    _require(request, Role.ADMIN)
    return clinic_services.department_set_active(
        department=_department(request, pk), is_active=True
    )


api.add_router("/departments", departments)


# Doctors, their availability and their free slots

doctors = Router(tags=["doctors"])


@doctors.get("", response={200: list[s.DoctorOut], **ERRORS})
def doctor_list(
    request: HttpRequest,
    q: Text(100) = "",
    department: Id | None = None,
    offset: int = Query(0, ge=0, le=1_000_000),
    limit: int = Query(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE),
):
    """Doctors you may see, by name, specialization or department words (``q``)."""
    found = clinic_selectors.doctor_search(user=request.user, query=q)
    if department is not None:
        found = found.filter(department_id=department)
    return [_doctor(d) for d in found[offset : offset + limit]]


def _doctor_for(request: HttpRequest, pk: int) -> Doctor:
    doctors = Doctor.objects.visible_to(request.user).select_related("user", "department")
    return get_object_or_404(doctors, pk=pk)


@doctors.get("/{pk}", response={200: s.DoctorOut, **ERRORS})
def doctor_detail(request: HttpRequest, pk: Id):
    return _doctor(_doctor_for(request, pk))


@doctors.post("", response={201: s.DoctorOut, **WRITE_ERRORS})
def doctor_create(request: HttpRequest, payload: s.DoctorIn):
    """A doctor's account; they are e-mailed a link to choose their password."""
    _require(request, Role.ADMIN)
    data = payload.dict()
    department = get_object_or_404(Department.objects.all(), pk=data.pop("department_id"))
    doctor = clinic_services.doctor_create(department=department, **data)
    clinic_services.doctor_invite(doctor=doctor, base_url=request.build_absolute_uri("/"))
    return Status(201, _doctor(doctor))


@doctors.put("/{pk}", response={200: s.DoctorOut, **WRITE_ERRORS})
def doctor_update(request: HttpRequest, pk: Id, payload: s.DoctorUpdateIn):
    _require(request, Role.ADMIN)
    data = payload.dict()
    department = get_object_or_404(Department.objects.all(), pk=data.pop("department_id"))
    doctor = clinic_services.doctor_update(
        doctor=_doctor_for(request, pk), department=department, **data
    )
    return _doctor(doctor)


@doctors.post("/{pk}/disable", response={200: s.DoctorOut, **WRITE_ERRORS})
def doctor_disable(request: HttpRequest, pk: Id, payload: s.ReasonIn | None = None):
    _require(request, Role.ADMIN)
    doctor = clinic_services.doctor_disable(
        doctor=_doctor_for(request, pk), reason=payload.reason if payload else "", by=request.user
    )
    return _doctor(doctor)


@doctors.post("/{pk}/enable", response={200: s.DoctorOut, **WRITE_ERRORS})
def doctor_enable(request: HttpRequest, pk: Id):
    _require(request, Role.ADMIN)
    return _doctor(clinic_services.doctor_enable(doctor=_doctor_for(request, pk), by=request.user))


@doctors.get("/{pk}/slots", response={200: list[s.DaySlotsOut], **ERRORS})
def doctor_slots(
    request: HttpRequest, pk: Id, date_from: Day | None = None, date_to: Day | None = None
):
    """Free slots per clinic day in the booking window (the slot picker's slots)."""
    doctor = _doctor_for(request, pk)
    # The slot picker's own cached grid: one door for what is free.
    days = selectors.slot_grid(doctor=doctor)
    return [
        {"date": day, "slots": [{"start": x.start, "end": x.end} for x in slots]}
        for day, slots in days.items()
        if (date_from is None or day >= date_from) and (date_to is None or day <= date_to)
    ]


def _availability_doctor(request: HttpRequest, pk: int) -> Doctor:
    """The doctor edits their own hours, admins anyone's; another doctor's are a 404."""
    _require(request, Role.DOCTOR, Role.ADMIN)
    doctors = Doctor.objects.hours_editable_by(request.user).select_related("user", "department")
    return get_object_or_404(doctors, pk=pk)


def _availability(doctor: Doctor) -> dict[str, Any]:
    today = clinic_today()
    return {
        "doctor_id": doctor.pk,
        "weekly": list(doctor.weekly_blocks.all()),
        "exceptions": list(
            doctor.exceptions.filter(date__gte=today).order_by("date", "start_time")
        ),
    }


@doctors.get("/{pk}/availability", response={200: s.AvailabilityOut, **ERRORS})
def availability(request: HttpRequest, pk: Id):
    return _availability(_availability_doctor(request, pk))


@doctors.post("/{pk}/availability/weekly", response={201: s.WeeklyBlockOut, **WRITE_ERRORS})
def weekly_block_add(request: HttpRequest, pk: Id, payload: s.WeeklyBlockIn):
    doctor = _availability_doctor(request, pk)
    return Status(201, services.weekly_block_add(doctor=doctor, **payload.dict()))


@doctors.delete("/{pk}/availability/weekly/{block_id}", response={204: None, **ERRORS})
def weekly_block_remove(request: HttpRequest, pk: Id, block_id: Id):
    doctor = _availability_doctor(request, pk)
    services.weekly_block_remove(
        block=get_object_or_404(
            WeeklyAvailability.objects.editable_by(request.user).filter(doctor=doctor), pk=block_id
        )
    )
    return Status(204, None)


@doctors.post("/{pk}/availability/exceptions", response={201: s.ExceptionOut, **WRITE_ERRORS})
def exception_add(request: HttpRequest, pk: Id, payload: s.ExceptionIn):
    doctor = _availability_doctor(request, pk)
    return Status(201, services.exception_add(doctor=doctor, **payload.dict()))


@doctors.delete("/{pk}/availability/exceptions/{exception_id}", response={204: None, **ERRORS})
def exception_remove(request: HttpRequest, pk: Id, exception_id: Id):
    doctor = _availability_doctor(request, pk)
    exceptions = AvailabilityException.objects.editable_by(request.user).filter(doctor=doctor)
    services.exception_remove(exception=get_object_or_404(exceptions, pk=exception_id))
    return Status(204, None)


api.add_router("/doctors", doctors)


# Appointments and their visit records

appointments = Router(tags=["appointments"])


def _cursor_decode(cursor: str) -> tuple[datetime, int]:
    try:
        start, _sep, pk = base64.urlsafe_b64decode(cursor.encode()).decode().partition("|")
        moment, number = datetime.fromisoformat(start), int(pk)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise ValidationError({"cursor": _("This cursor is not one this list gave.")}) from exc
    if moment.tzinfo is None or not 0 < number <= 2**63 - 1:
        raise ValidationError({"cursor": _("This cursor is not one this list gave.")})
    return moment, number


def _cursor_encode(appointment: Appointment) -> str:
    return base64.urlsafe_b64encode(
        f"{appointment.start.isoformat()}|{appointment.pk}".encode()
    ).decode()


@appointments.get("", response={200: s.AppointmentPage, **ERRORS})
def appointment_list(
    request: HttpRequest,
    q: Text(100) = "",
    status: s.Status | None = None,
    doctor: Id | None = None,
    department: Id | None = None,
    date_from: Day | None = None,
    date_to: Day | None = None,
    cursor: Text(200) = "",
    limit: int = Query(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE),
):
    """Your appointments (a patient's own, a doctor's own, all for admins), newest
    first, ``limit`` at a time; ``next_cursor`` continues the list.
    """
    doctor_obj = Doctor.objects.filter(pk=doctor).first() if doctor else None
    department_obj = Department.objects.filter(pk=department).first() if department else None
    if (doctor and doctor_obj is None) or (department and department_obj is None):
        return {"results": [], "next_cursor": None}
    found = selectors.appointment_search(
        user=request.user,
        query=q,
        doctor=doctor_obj,
        department=department_obj,
        status=status or "",
        date_from=date_from,
        date_to=date_to,
    )
    if cursor:
        start, pk = _cursor_decode(cursor)
        found = found.filter(Q(start__lt=start) | Q(start=start, pk__lt=pk))
    rows = list(found[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return {
        "results": [_appointment(request, a) for a in rows],
        "next_cursor": _cursor_encode(rows[-1]) if more else None,
    }


def _appointment_for(request: HttpRequest, pk: int) -> Appointment:
    return get_object_or_404(selectors.appointments_for(request.user), pk=pk)


@appointments.get("/{pk}", response={200: s.AppointmentOut, **ERRORS})
def appointment_detail(request: HttpRequest, pk: Id):
    return _appointment(request, _appointment_for(request, pk))


@appointments.post("", response={201: s.AppointmentOut, **WRITE_ERRORS})
def appointment_book(request: HttpRequest, payload: s.BookingIn):
    """Book one of a doctor's free slots for yourself (patients). A slot taken in
    the meantime is a 409.
    """
    _require(request, Role.PATIENT, *FRONT_DESK)
    if request.user.role == Role.PATIENT:
        patient = get_object_or_404(Patient.objects.select_related("user"), user=request.user)
    elif payload.patient_id is None:
        raise ValidationError({"patient_id": _("Say whom the booking is for.")})
    else:
        patients = Patient.objects.visible_to(request.user).select_related("user")
        patient = get_object_or_404(patients, pk=payload.patient_id)
    doctor = get_object_or_404(selectors.bookable_doctors(), pk=payload.doctor_id)
    appointment = services.appointment_book(
        patient=patient,
        doctor=doctor,
        start=payload.start,
        reason=payload.reason,
        by=request.user,
    )
    return Status(201, _appointment(request, appointment))


@appointments.post("/{pk}/reschedule", response={200: s.AppointmentOut, **WRITE_ERRORS})
def appointment_reschedule(request: HttpRequest, pk: Id, payload: s.RescheduleIn):
    _require(request, Role.PATIENT, *FRONT_DESK)
    appointment = services.appointment_reschedule(
        appointment=_appointment_for(request, pk), start=payload.start, by=request.user
    )
    return _appointment(request, appointment)


@appointments.post("/{pk}/cancel", response={200: s.AppointmentOut, **WRITE_ERRORS})
def appointment_cancel(request: HttpRequest, pk: Id, payload: s.ReasonIn | None = None):
    """Patients cancel their own before the cutoff; the doctor and admins give a reason."""
    appointment = services.appointment_cancel(
        appointment=_appointment_for(request, pk),
        by=request.user,
        reason=payload.reason if payload else "",
    )
    return _appointment(request, appointment)


@appointments.post("/{pk}/check-in", response={200: s.AppointmentOut, **WRITE_ERRORS})
def appointment_check_in(request: HttpRequest, pk: Id):
    """The front desk checks in a patient who has arrived for today's visit: they
    get the next token of their doctor's queue (checking in twice keeps it).
    """
    _require(request, *FRONT_DESK)
    appointment = services.appointment_check_in(
        appointment=_appointment_for(request, pk), by=request.user
    )
    return _appointment(request, appointment)


@appointments.post("/{pk}/no-show", response={200: s.AppointmentOut, **WRITE_ERRORS})
def appointment_no_show(request: HttpRequest, pk: Id):
    _require(request, Role.DOCTOR, Role.ADMIN)
    appointment = services.appointment_mark_no_show(
        appointment=_appointment_for(request, pk), by=request.user
    )
    return _appointment(request, appointment)


@appointments.post("/{pk}/complete", response={200: s.AppointmentOut, **WRITE_ERRORS})
def appointment_complete(request: HttpRequest, pk: Id):
    """Mark the visit completed without a record (the record: POST .../treatment)."""
    _require(request, Role.DOCTOR, Role.ADMIN)
    appointment = services.appointment_complete(
        appointment=_appointment_for(request, pk), by=request.user
    )
    return _appointment(request, appointment)


@appointments.get("/{pk}/treatment", response={200: s.TreatmentOut, **ERRORS})
def treatment_detail(request: HttpRequest, pk: Id):
    """The visit record of a completed appointment, for those who may read it."""
    appointment = _appointment_for(request, pk)
    if appointment.treatment_id is None:
        raise Http404
    treatment = clinic_selectors.treatment_for(user=request.user, pk=appointment.treatment_id)
    record_access(treatment.patient, by=request.user)
    return _treatment(treatment)


@appointments.post("/{pk}/treatment", response={201: s.TreatmentOut, **WRITE_ERRORS})
def treatment_record(request: HttpRequest, pk: Id, payload: s.TreatmentIn):
    """The doctor completes the visit with its record: diagnosis, notes, prescription."""
    _require(request, Role.DOCTOR)
    data = payload.dict()
    appointment = services.appointment_complete_with_treatment(
        appointment=_appointment_for(request, pk), by=request.user, **data
    )
    return Status(
        201,
        _treatment(clinic_selectors.treatment_for(user=request.user, pk=appointment.treatment_id)),
    )


@appointments.put("/{pk}/treatment", response={200: s.TreatmentOut, **WRITE_ERRORS})
def treatment_amend(request: HttpRequest, pk: Id, payload: s.TreatmentIn):
    """The treating doctor corrects the record inside the amend window."""
    _require(request, Role.DOCTOR)
    appointment = _appointment_for(request, pk)
    if appointment.treatment_id is None:
        raise Http404
    treatment = clinic_selectors.treatment_for(user=request.user, pk=appointment.treatment_id)
    treatment = clinic_services.treatment_amend(
        treatment=treatment, by=request.user, **payload.dict()
    )
    return _treatment(clinic_selectors.treatment_for(user=request.user, pk=treatment.pk))


api.add_router("/appointments", appointments)


# Patients

patients = Router(tags=["patients"])


@patients.get("", response={200: list[s.PatientOut], **ERRORS})
def patient_list(
    request: HttpRequest,
    q: Text(100) = "",
    offset: int = Query(0, ge=0, le=1_000_000),
    limit: int = Query(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE),
):
    """Staff search the patients they may see by name, e-mail, phone or patient id."""
    _require(request, Role.ADMIN, Role.RECEPTION, Role.DOCTOR)
    found = clinic_selectors.patient_search(user=request.user, query=q)
    return [_patient(request, p) for p in found[offset : offset + limit]]


def _own_patient(request: HttpRequest) -> Patient:
    _require(request, Role.PATIENT)
    patients = Patient.objects.visible_to(request.user).select_related("user")
    return get_object_or_404(patients, user=request.user)


@patients.get("/me", response={200: s.PatientOut, **ERRORS})
def patient_me(request: HttpRequest):
    """A patient's own profile."""
    return _patient(request, _own_patient(request))


@patients.put("/me", response={200: s.PatientOut, **WRITE_ERRORS})
def patient_me_update(request: HttpRequest, payload: s.PatientProfileIn):
    patient = clinic_services.patient_update(patient=_own_patient(request), **payload.dict())
    return _patient(request, patient)


@patients.get("/{pk}", response={200: s.PatientOut, **ERRORS})
def patient_detail(request: HttpRequest, pk: Id):
    _require(request, Role.ADMIN, Role.RECEPTION, Role.DOCTOR)
    patient = get_object_or_404(
        Patient.objects.visible_to(request.user).select_related("user"), pk=pk
    )
    record_access(patient, by=request.user)
    return _patient(request, patient)


api.add_router("/patients", patients)


# CSV exports

exports = Router(tags=["exports"])


@exports.post("", response={201: s.ExportOut, **WRITE_ERRORS})
def export_start(request: HttpRequest, payload: s.ExportIn):
    """Start a CSV export: admins of appointments (with filters), patients of their
    treatment history. Poll it, then download it.
    """
    _require(request, Role.ADMIN, Role.PATIENT)
    filters: dict = {}
    if payload.kind == ExportJob.Kind.APPOINTMENTS:
        # The appointments list's own filter form checks and stores the filters.
        raw = (payload.filters or s.ExportFiltersIn()).dict()
        form = AppointmentFilterForm({k: "" if v is None else v for k, v in raw.items()})
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        filters = form.export_filters()
    job = report_services.export_request(user=request.user, kind=payload.kind, filters=filters)
    return Status(201, _export(request, job))


def _job(request: HttpRequest, pk) -> ExportJob:
    _require(request, Role.ADMIN, Role.PATIENT)
    return get_object_or_404(ExportJob.objects.visible_to(request.user), pk=pk)


@exports.get("/{pk}", response={200: s.ExportOut, **ERRORS})
def export_status(request: HttpRequest, pk: uuid.UUID):
    return _export(request, _job(request, pk))


@exports.get(
    "/{pk}/download",
    response={200: None, **ERRORS},
    url_name="export-download",
    openapi_extra={
        "responses": {200: {"description": "The CSV file", "content": {"text/csv": {}}}}
    },
)
def export_download(request: HttpRequest, pk: uuid.UUID):
    job = _job(request, pk)
    if (
        job.status != ExportJob.Status.DONE
        or not job.file
        or not default_storage.exists(job.file.name)
    ):
        raise Http404
    return FileResponse(
        default_storage.open(job.file.name, "rb"),
        as_attachment=True,
        filename=job.filename,
        content_type="text/csv",
    )


api.add_router("/exports", exports)


# Statistics

stats = Router(tags=["statistics"])


@stats.get("", response={200: s.StatsOut, **ERRORS})
def statistics(request: HttpRequest):
    """The admin dashboard's figures (cached for a few minutes, as on the page)."""
    _require(request, Role.ADMIN)
    figures = report_selectors.admin_dashboard()
    return {
        "updated_at": figures["updated_at"],
        "counts": figures["counts"],
        "appointments": figures["appointments"],
        "departments": figures["departments"],
        "busiest_doctors": figures["busiest_doctors"],
        "diagnoses": figures["diagnoses"],
    }


api.add_router("/stats", stats)
