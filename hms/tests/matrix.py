"""The permission matrix's table, shared by the matrix and the fuzz tests: what
each kind of person gets from a GET of every named URL. ``L`` is the login
page, ``R`` another redirect, otherwise a status code. The objects in the
URLs (the ``world`` fixture in ``hms/tests/conftest.py``) belong to patient A
and doctor X, so patient B and doctor Y are trying other people's ids.
"""

from __future__ import annotations

PEOPLE = ("anon", "patient_a", "patient_b", "doctor_x", "doctor_y", "admin", "reception")
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
FRONT_DESK = only("admin", "reception")
# Records of patient A and doctor X: the others get 404, other roles 403.
A_AND_X = only("patient_a", "doctor_x", "admin", patient_b=404, doctor_y=404)
# Clinical records: the front desk gets 404 too (it never reads them).
RECORDS_OF_A = A_AND_X | {"reception": 404}
# Appointments of A with X: the front desk sees every appointment.
APPOINTMENT_OF_A = A_AND_X | {"reception": 200}
# The front desk books only for a patient found first: sent to the desk.
BOOKING = only("patient_a", "patient_b", admin=R, reception=R)

MATRIX: dict[str, dict] = {
    "landing": ANON_ONLY,
    "dashboard": {**dict.fromkeys(PEOPLE, R), "anon": L},
    "healthz": EVERYONE,
    "accounts:login": ANON_ONLY,
    # Without a pending sign-in the anonymous are sent to the password step.
    "accounts:login-code": SIGNED_IN,
    "accounts:two-factor": SIGNED_IN,
    "admin-login": dict.fromkeys(PEOPLE, L),
    "accounts:logout": POST_ONLY,
    "set_language": POST_ONLY,
    "accounts:password-change": SIGNED_IN,
    "accounts:password-change-done": SIGNED_IN,
    "accounts:password-reset": EVERYONE,
    "accounts:password-reset-done": EVERYONE,
    "accounts:password-reset-confirm": dict.fromkeys(PEOPLE, R),
    "accounts:password-reset-complete": EVERYONE,
    "accounts:api-token-list": SIGNED_IN,
    "accounts:api-token-revoke": only("patient_a", other=404),
    "clinic:patient-register": ANON_ONLY,
    "clinic:patient-register-sent": EVERYONE,
    "clinic:department-list": SIGNED_IN,
    "clinic:department-detail": SIGNED_IN,
    "clinic:doctor-search": SIGNED_IN,
    "clinic:doctor-detail": SIGNED_IN,
    "clinic:profile-edit": PATIENTS,
    "clinic:history-mine": PATIENTS,
    "clinic:patient-history": RECORDS_OF_A,
    "clinic:walkin-start": DOCTORS,
    # Any doctor may record a walk-in visit of any existing patient.
    "clinic:walkin-record": DOCTORS,
    "clinic:treatment-detail": RECORDS_OF_A,
    "clinic:treatment-amend": only("doctor_x", doctor_y=404),
    "clinic:prescription-print": RECORDS_OF_A,
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
    "clinic:manage-reception-list": ADMIN,
    "clinic:manage-reception-create": ADMIN,
    "scheduling:doctor-home": DOCTORS,
    "scheduling:patient-home": PATIENTS,
    "scheduling:book-start": BOOKING,
    "scheduling:appointment-book": BOOKING,
    # Patients only; without ?department= there is nothing to look in.
    "scheduling:next-available": only(patient_a=404, patient_b=404),
    "scheduling:appointment-list": ADMIN,
    "scheduling:appointment-detail": APPOINTMENT_OF_A,
    "scheduling:appointment-cancel": APPOINTMENT_OF_A,
    "scheduling:appointment-reschedule": only("patient_a", "admin", "reception", patient_b=404),
    "scheduling:appointment-check-in": POST_ONLY,
    "scheduling:desk": FRONT_DESK,
    "scheduling:desk-register": FRONT_DESK,
    "scheduling:desk-patient": FRONT_DESK,
    "scheduling:queue-call-next": POST_ONLY,
    # The waiting-room screen: a secret link, no sign-in, tokens only.
    "scheduling:queue-display": EVERYONE,
    "scheduling:appointment-complete": POST_ONLY,
    # Doctor X is sent back: the visit has not started yet.
    "scheduling:appointment-complete-record": only(doctor_x=R, doctor_y=404),
    "scheduling:appointment-no-show": POST_ONLY,
    "scheduling:availability": only("doctor_x", "doctor_y", admin=404),
    "scheduling:availability-doctors": ADMIN,
    "scheduling:availability-doctor": only("admin", doctor_x=404, doctor_y=404),
    "scheduling:availability-block-delete": POST_ONLY,
    "scheduling:availability-exception-delete": POST_ONLY,
    "scheduling:waitlist-join": POST_ONLY,
    "scheduling:patient-future-bookings": ADMIN,
    # A slot held for patient A: theirs (and the admins') to take.
    "scheduling:waitlist-offer": only("patient_a", "admin", patient_b=404),
    "scheduling:notification-settings": only("patient_a", "patient_b", "doctor_x", "doctor_y"),
    # No session needed, and none helps: only the secret token opens a feed.
    "scheduling:calendar-feed": dict.fromkeys(PEOPLE, 404),
    "reports:admin-home": ADMIN,
    "reports:monthly-report-list": only("doctor_x", "doctor_y", "admin"),
    "reports:monthly-report-detail": only("doctor_x", "admin", doctor_y=404),
    "reports:export-list": only("patient_a", "patient_b", "admin"),
    "reports:export-create": POST_ONLY,
    "reports:export-detail": only("patient_a", "admin", patient_b=404),
    "reports:export-download": only("patient_a", "admin", patient_b=404),
    "reports:export-retry": POST_ONLY,
}
