"""The API's request and response bodies (they become the OpenAPI schema)."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

from api.types import Day, Id, Moment, Text
from clinic.models import DOSAGE_MAX, FREQUENCY_MAX, INSTRUCTIONS_MAX, MEDICINE_MAX


class FieldError(Schema):
    field: str | None = Field(description="The field the message is about; null for the request.")
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[FieldError] = []


# Tokens


class TokenIn(Schema):
    email: Text(254, 1)
    password: Text(4096, 1)
    name: Text(100) = Field("", description="A name to tell this token apart, e.g. 'kiosk 2'.")


class TokenOut(Schema):
    id: int
    token: str = Field(description="Send as 'Authorization: Bearer <token>'. Shown once.")
    expires_at: datetime


# Directory


class DepartmentIn(Schema):
    name: Text(120, 1)
    description: Text(5000) = ""


class DepartmentOut(Schema):
    id: int
    name: str
    slug: str
    description: str
    is_active: bool


class DoctorOut(Schema):
    id: int
    first_name: str
    last_name: str
    name: str
    department_id: int
    department: str
    specialization: str
    qualification: str
    experience_years: int
    consultation_minutes: int
    bio: str
    is_accepting_patients: bool
    is_active: bool


class DoctorIn(Schema):
    email: Text(254, 1)
    first_name: Text(150, 1)
    last_name: Text(150, 1)
    phone: Text(32) = ""
    department_id: Id
    specialization: Text(120, 1)
    qualification: Text(200) = ""
    experience_years: int = Field(0, ge=0, le=70)
    consultation_minutes: int = Field(15, ge=5, le=240)
    bio: Text(5000) = ""


class DoctorUpdateIn(DoctorIn):
    is_accepting_patients: bool = True


class ReasonIn(Schema):
    reason: Text(500) = ""


# Availability


class WeeklyBlockIn(Schema):
    weekday: int = Field(ge=0, le=6, description="0 is Monday, 6 is Sunday.")
    start_time: time
    end_time: time


class WeeklyBlockOut(WeeklyBlockIn):
    id: int


class ExceptionIn(Schema):
    date: Day
    kind: Literal["leave", "holiday", "changed_hours"] = "leave"
    start_time: time | None = None
    end_time: time | None = None
    note: Text(200) = ""


class ExceptionOut(Schema):
    id: int
    date: date
    kind: str
    start_time: time | None
    end_time: time | None
    note: str


class AvailabilityOut(Schema):
    doctor_id: int
    weekly: list[WeeklyBlockOut]
    exceptions: list[ExceptionOut] = Field(description="Today's and later ones.")


class SlotOut(Schema):
    start: datetime
    end: datetime


class DaySlotsOut(Schema):
    date: date
    slots: list[SlotOut]


# Appointments

Status = Literal["booked", "arrived", "completed", "cancelled", "no_show", "held"]


class AppointmentOut(Schema):
    id: int
    patient_id: int
    patient: str
    patient_number: str
    doctor_id: int
    doctor: str
    department: str
    start: datetime
    end: datetime
    status: Status
    reason: str
    cancellation_reason: str
    treatment_id: int | None


class AppointmentPage(Schema):
    results: list[AppointmentOut]
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next page.")


class BookingIn(Schema):
    doctor_id: Id
    start: Moment = Field(description="The slot's start, as the slots list gives it.")
    reason: Text(500) = ""
    patient_id: Id | None = Field(
        None,
        description="The front desk and admins: whom the booking is for "
        "(patients book for themselves and leave it out).",
    )


class RescheduleIn(Schema):
    start: Moment


class PrescriptionLine(Schema):
    medicine: Text(MEDICINE_MAX, 1)
    dosage: Text(DOSAGE_MAX, 1)
    frequency: Text(FREQUENCY_MAX, 1)
    duration_days: int = Field(ge=1, le=365)
    instructions: Text(INSTRUCTIONS_MAX) = ""


class TreatmentIn(Schema):
    diagnosis: Text(5000, 1)
    icd10_code: Text(10) = ""
    notes: Text(20000) = ""
    items: list[PrescriptionLine] = Field(default=[], max_length=50)
    next_visit_on: Day | None = None


class TreatmentOut(Schema):
    id: int
    patient_id: int
    doctor_id: int
    doctor: str
    visit_date: date
    diagnosis: str
    icd10_code: str
    notes: str
    next_visit_on: date | None
    items: list[PrescriptionLine]


# Patients


class PatientOut(Schema):
    id: int
    patient_number: str
    first_name: str
    last_name: str
    email: str
    phone: str
    date_of_birth: date | None
    gender: str
    # Null for those who read no clinical records (the front desk).
    blood_group: str | None
    address: str
    emergency_contact_name: str
    emergency_contact_phone: str
    allergies: str | None
    is_active: bool


class PatientProfileIn(Schema):
    phone: Text(32) = ""
    date_of_birth: Day | None = None
    gender: Literal["", "female", "male", "other", "undisclosed"] = ""
    blood_group: Literal["", "A+", "A-", "B+", "B-", "AB+", "AB-", "O+", "O-"] = ""
    address: Text(2000) = ""
    emergency_contact_name: Text(150) = ""
    emergency_contact_phone: Text(32) = ""
    allergies: Text(5000) = ""


# Exports and statistics


class ExportFiltersIn(Schema):
    q: Text(100) = ""
    doctor: Id | None = None
    department: Id | None = None
    status: Literal["", "booked", "arrived", "completed", "cancelled", "no_show", "held"] = ""
    date_from: Day | None = None
    date_to: Day | None = None


class ExportIn(Schema):
    kind: Literal["appointments", "treatments"]
    filters: ExportFiltersIn | None = Field(None, description="Appointments exports only.")


class ExportOut(Schema):
    id: str
    kind: str
    status: str
    row_count: int
    percent: int
    error: str
    created_at: datetime
    finished_at: datetime | None
    expires_at: datetime | None
    download_url: str | None = Field(description="Where the finished CSV is, with the same token.")


class StatsOut(Schema):
    updated_at: datetime
    counts: dict[str, int]
    appointments: dict[str, Any]
    departments: list[dict[str, Any]]
    busiest_doctors: list[dict[str, Any]]
    diagnoses: list[dict[str, Any]]
