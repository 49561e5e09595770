"""The Django admin as the back office uses it: lists without a query per row,
and actions that go through the services so every rule still applies.
"""

import csv
import io
from datetime import date, time, timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.tests.factories import AdminFactory
from clinic.tests.factories import DepartmentFactory, DoctorFactory, PatientFactory
from notifications.models import Notification
from reports.models import ExportJob, MonthlyReport
from scheduling import services as scheduling_services
from scheduling.models import Appointment
from scheduling.tests.factories import book, local, open_every_day, past_visit

pytestmark = pytest.mark.django_db


def _visits(n):
    doctor = DoctorFactory()
    start = local("2026-01-05 09:00")
    return [past_visit(PatientFactory(), doctor, start + timedelta(hours=i)) for i in range(n)]


def _blocks(n):
    doctor = DoctorFactory()
    for i in range(n):
        scheduling_services.weekly_block_add(
            doctor=doctor, weekday=i % 7, start_time=time(i // 7), end_time=time(i // 7, 30)
        )


def _exceptions(n):
    doctor = DoctorFactory()
    today = timezone.localdate()
    for i in range(n):
        scheduling_services.exception_add(
            doctor=doctor, date=today + timedelta(days=i), kind="leave"
        )


def _notifications(n):
    users = [PatientFactory().user for _ in range(n)]
    for i, user in enumerate(users):
        Notification.objects.create(
            event_key=f"test:{i}", recipient=user.email, user=user, body_text="Hello"
        )


def _exports(n):
    admin = AdminFactory()
    for _ in range(n):
        ExportJob.objects.create(requested_by=admin, kind="appointments")


def _reports(n):
    doctor = DoctorFactory()
    for i in range(n):
        MonthlyReport.objects.create(
            doctor=doctor, month=date(2020 + i // 12, i % 12 + 1, 1), html=""
        )


BUILDERS = {
    "accounts_user": lambda n: [PatientFactory() for _ in range(n)],
    "clinic_department": lambda n: [DepartmentFactory() for _ in range(n)],
    "clinic_doctor": lambda n: [DoctorFactory() for _ in range(n)],
    "clinic_patient": lambda n: [PatientFactory() for _ in range(n)],
    "scheduling_appointment": _visits,
    "scheduling_weeklyavailability": _blocks,
    "scheduling_availabilityexception": _exceptions,
    "notifications_notification": _notifications,
    "reports_exportjob": _exports,
    "reports_monthlyreport": _reports,
}


@pytest.mark.parametrize("model", BUILDERS)
def test_it_lists_5_or_50_rows_in_the_same_number_of_queries(admin_client, model):
    url = reverse(f"admin:{model}_changelist")
    BUILDERS[model](5)
    admin_client.get(url)  # the admin is read once, then kept (accounts.person_cache)
    with CaptureQueriesContext(connection) as few:
        first = admin_client.get(url)
    BUILDERS[model](45)
    with CaptureQueriesContext(connection) as many:
        second = admin_client.get(url)

    assert first.status_code == second.status_code == 200
    assert "50 " in second.text or "50" in second.text
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    assert len(many) <= 15


def test_it_cancels_from_the_admin_through_the_service_and_emails_the_patient(
    admin_client, open_doctor, patient, django_capture_on_commit_callbacks
):
    appointment = book(patient, open_doctor, local("2026-12-03 10:00"))

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:scheduling_appointment_changelist"),
            {"action": "cancel_selected", "_selected_action": [appointment.pk]},
            follow=True,
        )

    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED
    assert appointment.cancellation_reason == "Cancelled by the hospital administration."
    assert [m.to for m in mail.outbox] == [[patient.user.email]]
    assert "1 appointment cancelled." in response.text


def test_it_refuses_to_cancel_a_completed_visit_from_the_admin(admin_client, open_doctor, patient):
    visit = past_visit(patient, open_doctor, local("2026-11-20 09:00"))

    response = admin_client.post(
        reverse("admin:scheduling_appointment_changelist"),
        {"action": "cancel_selected", "_selected_action": [visit.pk]},
        follow=True,
    )

    visit.refresh_from_db()
    assert visit.status == Appointment.Status.COMPLETED
    assert "This appointment was completed, so it can no longer be cancelled." in response.text


def test_it_keeps_bookings_out_of_the_admin_add_form(admin_client):
    assert admin_client.get(reverse("admin:scheduling_appointment_add")).status_code == 403


def test_it_disables_patients_from_the_admin_and_ends_their_sessions(admin_client, patient):
    Client().force_login(patient.user)
    assert Session.objects.count() == 2

    admin_client.post(
        reverse("admin:clinic_patient_changelist"),
        {"action": "disable_patients", "_selected_action": [patient.pk]},
    )

    patient.user.refresh_from_db()
    assert not patient.user.is_active
    assert "back office" in patient.user.disabled_reason
    assert Session.objects.count() == 1


def test_it_disables_a_doctor_who_then_disappears_for_patients(admin_client, open_doctor):
    admin_client.post(
        reverse("admin:clinic_doctor_changelist"),
        {"action": "disable_doctors", "_selected_action": [open_doctor.pk]},
    )

    open_doctor.user.refresh_from_db()
    assert not open_doctor.user.is_active
    patient = PatientFactory()
    admin_client.force_login(patient.user)
    response = admin_client.get(reverse("scheduling:appointment-book", args=[open_doctor.pk]))
    assert response.status_code == 404


def test_it_will_not_let_an_admin_disable_themself(admin_client, admin_user):
    response = admin_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "disable_accounts", "_selected_action": [admin_user.pk]},
        follow=True,
    )

    assert User.objects.get(pk=admin_user.pk).is_active
    assert "You cannot disable your own account." in response.text


def test_it_exports_the_selected_rows_as_csv(admin_client):
    doctors = [DoctorFactory(specialization="=cmd|' /C calc'!A0"), DoctorFactory()]
    open_every_day(doctors[1])

    response = admin_client.post(
        reverse("admin:clinic_doctor_changelist"),
        {"action": "export_selected_as_csv", "_selected_action": [d.pk for d in doctors]},
    )

    assert response["Content-Type"] == "text/csv"
    body = b"".join(response.streaming_content).decode().removeprefix("\ufeff")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:3] == ["Doctor", "Department", "Specialization"]
    assert sorted(r[0] for r in rows[1:]) == sorted(str(d) for d in doctors)
    assert "'=cmd|' /C calc'!A0" in [r[2] for r in rows[1:]]


def test_it_exports_status_words_clinic_times_and_a_byte_order_mark(admin_client):
    patient = PatientFactory(first_name="राधा", last_name="Verma")
    start = local("2026-11-20 10:00")
    appointment = past_visit(patient, DoctorFactory(), start, status=Appointment.Status.NO_SHOW)

    response = admin_client.post(
        reverse("admin:scheduling_appointment_changelist"),
        {"action": "export_selected_as_csv", "_selected_action": [appointment.pk]},
    )

    body = b"".join(response.streaming_content).decode()
    assert body.startswith("\ufeff")  # Excel then reads the names as UTF-8
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))
    assert rows[0][0] == "Start (Asia/Kolkata)"
    assert rows[1][0] == "2026-11-20 10:00"  # clinic time, not UTC
    assert "राधा Verma" in rows[1]
    assert "No-show" in rows[1]
