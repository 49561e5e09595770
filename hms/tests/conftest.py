"""Fixtures shared by the project-wide tests: the world of the permission matrix
and the fuzzing. The browser fixtures (``browser``, ``page``) are the
``devtools.pytest_browser`` plugin's.
"""

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.files.base import ContentFile
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.services import api_token_issue
from accounts.tests.factories import AdminFactory, ReceptionFactory
from clinic.services import treatment_record
from clinic.tests.factories import DepartmentFactory, DoctorFactory, PatientFactory
from reports.models import ExportJob, MonthlyReport
from scheduling import services
from scheduling.models import Appointment, QueueDisplay
from scheduling.tests.factories import book, local, open_every_day


@pytest.fixture
def world(clinic_now):
    """Patient A's records with doctor X; B and Y are strangers to them."""
    doctor_x = DoctorFactory(department=DepartmentFactory())
    doctor_y = DoctorFactory()
    open_every_day(doctor_x)
    patient_a, patient_b = PatientFactory(), PatientFactory()
    appointment = book(patient_a, doctor_x, local("2026-12-03 10:00"))
    block = doctor_x.weekly_blocks.first()
    exception = services.exception_add(
        doctor=doctor_x, date=local("2026-12-05 00:00").date(), kind="leave"
    )
    export = ExportJob.objects.create(
        requested_by=patient_a.user, kind=ExportJob.Kind.TREATMENTS, status="done"
    )
    export.file.save("exports/a.csv", ContentFile(b"patient id\n"), save=True)
    treatment = treatment_record(
        patient=patient_a,
        doctor=doctor_x,
        diagnosis="Essential hypertension",
        items=[{"medicine": "Amlodipine", "dosage": "5 mg", "frequency": "once a day",
                "duration_days": 30, "instructions": ""}],
    )  # fmt: skip
    report = MonthlyReport.objects.create(doctor=doctor_x, month=local("2026-11-01 00:00"))
    display = services.queue_display_create(
        display=QueueDisplay(name="Hall", department=doctor_x.department), by=None
    )
    token, _raw = api_token_issue(user=patient_a.user)
    hold = Appointment.objects.create(
        patient=patient_a,
        doctor=doctor_x,
        start=local("2026-12-04 11:00"),
        end=local("2026-12-04 11:15"),
        status=Appointment.Status.HELD,
        hold_expires_at=local("2026-12-01 08:30"),
    )
    people = {
        "anon": None,
        "patient_a": patient_a.user,
        "patient_b": patient_b.user,
        "doctor_x": doctor_x.user,
        "doctor_y": doctor_y.user,
        "admin": AdminFactory(),
        "reception": ReceptionFactory(),
    }
    # A reset link of someone who never signs in here (signing in ends a link).
    reset_user = PatientFactory().user
    kwargs = {
        "accounts:password-reset-confirm": {
            "uidb64": urlsafe_base64_encode(force_bytes(reset_user.pk)),
            "token": default_token_generator.make_token(reset_user),
        },
        "accounts:api-token-revoke": {"pk": token.pk},
        "clinic:department-detail": {"slug": doctor_x.department.slug},
        "clinic:doctor-detail": {"pk": doctor_x.pk},
        "clinic:patient-history": {"pk": patient_a.pk},
        "clinic:walkin-record": {"patient_pk": patient_a.pk},
        "clinic:treatment-detail": {"pk": treatment.pk},
        "clinic:treatment-amend": {"pk": treatment.pk},
        "clinic:prescription-print": {"pk": treatment.pk},
        "scheduling:appointment-complete-record": {"pk": appointment.pk},
        "clinic:manage-department-edit": {"pk": doctor_x.department.pk},
        "clinic:manage-department-toggle": {"pk": doctor_x.department.pk},
        "clinic:manage-doctor-edit": {"pk": doctor_x.pk},
        "clinic:manage-doctor-toggle": {"pk": doctor_x.pk},
        "clinic:manage-patient-detail": {"pk": patient_a.pk},
        "clinic:manage-patient-edit": {"pk": patient_a.pk},
        "clinic:manage-patient-toggle": {"pk": patient_a.pk},
        "scheduling:appointment-book": {"doctor_pk": doctor_x.pk},
        "scheduling:waitlist-join": {"doctor_pk": doctor_x.pk},
        "scheduling:patient-future-bookings": {"patient_pk": patient_a.pk},
        "scheduling:waitlist-offer": {"pk": hold.pk},
        "scheduling:calendar-feed": {"user_id": patient_a.user.pk, "token": "not-the-token"},
        "scheduling:availability-doctor": {"doctor_pk": doctor_x.pk},
        "scheduling:availability-block-delete": {"pk": block.pk},
        "scheduling:availability-exception-delete": {"pk": exception.pk},
        "reports:monthly-report-detail": {"pk": report.pk},
        "scheduling:appointment-check-in": {"pk": appointment.pk},
        "scheduling:desk-patient": {"pk": patient_a.pk},
        "scheduling:queue-display": {"token": display.token},
        **{
            f"scheduling:appointment-{name}": {"pk": appointment.pk}
            for name in ("detail", "cancel", "reschedule", "complete", "no-show")
        },
        **{f"reports:export-{name}": {"pk": export.pk} for name in ("detail", "download", "retry")},
    }
    return people, kwargs
