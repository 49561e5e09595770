"""Every main page of every role on a 390 px phone: nothing scrolls sideways.

The data is the worst a clinic gives a layout: a patient, a doctor and a
department with long unbroken names, long reasons and diagnoses, and a
prescription line. A page fails when the document is wider than the
viewport (``scrollWidth > innerWidth``), naming the elements that stick out.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.tests.factories import PASSWORD, AdminFactory, ReceptionFactory
from clinic.tests.factories import (
    DepartmentFactory,
    DoctorFactory,
    PatientFactory,
    TreatmentFactory,
)
from devtools.browser import sign_in
from reports.models import ExportJob, MonthlyReport
from scheduling.models import Appointment
from scheduling.tests.factories import book, local, open_every_day, past_visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ADMIN = "admin@hms.example"
DOCTOR = "asha.rao@hms.example"
PATIENT = "priya.sharma@example.com"
RECEPTION = "desk@hms.example"
LONG = "Venkatanarasimharajuvaripeta" * 2  # 56 letters, no space to break at
PHONE = {"width": 390, "height": 844}

# The elements whose right edge passes the viewport, innermost first (their
# parents only stick out because of them).
WIDER_THAN_VIEWPORT = """() => {
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  const out = [...document.querySelectorAll("body *")].filter(
    (el) => el.getBoundingClientRect().right > width + 0.5
      && ![...el.children].some((child) => child.getBoundingClientRect().right > width + 0.5));
  return out.slice(0, 5).map((el) => `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}`
    + `.${[...el.classList].join(".")} (${Math.round(el.getBoundingClientRect().right)} px):`
    + ` ${el.textContent.trim().slice(0, 40)}`);
}"""


def sideways_overflow(page) -> list[str]:
    """What makes the page wider than the phone; empty when nothing does."""
    return page.evaluate(WIDER_THAN_VIEWPORT)


@pytest.fixture
def clinic():
    """Long names everywhere, a visit of each status, a record, a report and an export."""
    AdminFactory(email=ADMIN)
    ReceptionFactory(email=RECEPTION)
    department = DepartmentFactory(name=f"Cardiothoracic{LONG}")
    doctor = DoctorFactory(
        email=DOCTOR, first_name="Asha", last_name=LONG, department=department,
        specialization=f"Interventional{LONG}",
    )  # fmt: skip
    open_every_day(doctor, "00:00", "23:45")
    patient = PatientFactory(email=PATIENT, first_name=LONG, last_name="Sharma")
    now = timezone.localtime()
    upcoming = book(patient, doctor, local(f"{now.date() + timedelta(days=3)} 10:00"), LONG)
    # Today's visits, one already started, so the doctor's day shows every button.
    started = past_visit(patient, doctor, now.replace(second=0, microsecond=0) - timedelta(hours=1))
    Appointment.objects.filter(pk=started.pk).update(status=Appointment.Status.BOOKED)
    for days_ago, status in enumerate(Appointment.Status.values, start=1):
        if status != Appointment.Status.BOOKED:
            day = now.date() - timedelta(days=days_ago)
            past_visit(patient, doctor, local(f"{day} 09:00"), status=status)
    treatment = TreatmentFactory(
        patient=patient, doctor=doctor, diagnosis=f"Hypertension{LONG}", notes=LONG,
        items=[{"medicine": f"Amlodipine{LONG}", "dosage": "5 mg", "frequency": "once a day",
                "duration_days": 30, "instructions": LONG}],
    )  # fmt: skip
    report = MonthlyReport.objects.create(
        doctor=doctor, month=now.date().replace(day=1), html=f"<p>{LONG}</p>"
    )
    export = ExportJob.objects.create(
        requested_by=patient.user, kind=ExportJob.Kind.TREATMENTS, status="running"
    )
    return {
        "doctor": doctor.pk,
        "department": department.slug,
        "patient": patient.pk,
        "appointment": upcoming.pk,
        "started": started.pk,
        "treatment": treatment.pk,
        "report": report.pk,
        "export": export.pk,
    }


def pages_of(ids: dict) -> dict[str | None, list[str]]:
    return {
        None: ["/", "/accounts/login/", "/accounts/register/", "/accounts/password/reset/"],
        PATIENT: [
            "/patient/",
            "/book/",
            f"/book/?department={ids['department']}",
            f"/book/{ids['doctor']}/",
            f"/book/next/?department={ids['department']}",
            f"/appointments/{ids['appointment']}/",
            f"/appointments/{ids['appointment']}/cancel/",
            f"/appointments/{ids['appointment']}/reschedule/",
            "/history/",
            f"/visits/{ids['treatment']}/",
            f"/visits/{ids['treatment']}/prescription/",
            "/profile/",
            "/departments/",
            f"/departments/{ids['department']}/",
            "/doctors/",
            f"/doctors/{ids['doctor']}/",
            "/exports/",
            f"/exports/{ids['export']}/",
            "/accounts/password/change/",
        ],
        DOCTOR: [
            "/doctor/",
            f"/appointments/{ids['started']}/",
            f"/appointments/{ids['started']}/complete/record/",
            "/availability/",
            "/visits/walk-in/",
            f"/visits/walk-in/{ids['patient']}/",
            f"/patients/{ids['patient']}/history/",
            f"/visits/{ids['treatment']}/amend/",
            "/reports/monthly/",
            f"/reports/monthly/{ids['report']}/",
        ],
        ADMIN: [
            "/hospital/",
            "/appointments/",
            "/manage/departments/",
            "/manage/departments/new/",
            "/manage/doctors/",
            "/manage/doctors/new/",
            f"/manage/doctors/{ids['doctor']}/edit/",
            "/manage/patients/",
            f"/manage/patients/{ids['patient']}/",
            f"/manage/patients/{ids['patient']}/edit/",
            "/availability/doctors/",
            f"/availability/doctors/{ids['doctor']}/",
            "/exports/",
            "/manage/reception/",
        ],
        # The front desk's pages are held to the same check (issue 17).
        RECEPTION: [
            "/desk/",
            f"/desk/?q={LONG[:20]}",
            "/desk/patients/new/",
            f"/desk/patients/{ids['patient']}/",
            f"/book/{ids['doctor']}/?patient={ids['patient']}",
            f"/appointments/{ids['appointment']}/",
            f"/appointments/{ids['appointment']}/cancel/",
        ],
    }


@pytest.mark.parametrize(
    "who",
    [None, PATIENT, DOCTOR, ADMIN, RECEPTION],
    ids=["anon", "patient", "doctor", "admin", "reception"],
)
def test_it_never_scrolls_sideways_on_a_phone(page, clinic, who):
    page.set_viewport_size(PHONE)
    if who:
        sign_in(page, who, PASSWORD)
    wide = {}
    for path in pages_of(clinic)[who]:
        response = page.goto(path)
        assert response.ok, f"{path}: {response.status}"
        if overflow := sideways_overflow(page):
            wide[path] = overflow
    assert wide == {}, "\n".join(f"{path}: {els}" for path, els in wide.items())
