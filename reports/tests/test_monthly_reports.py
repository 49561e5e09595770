"""Monthly doctor reports: made once per doctor and month, e-mailed once."""

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from clinic.tests.factories import DoctorFactory, PatientFactory
from notifications.models import Notification
from reports import tasks
from reports.models import MonthlyReport
from scheduling.models import Appointment
from scheduling.tests.factories import book, local, open_every_day, past_visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def november(open_doctor, clinic_now):
    """Four November visits of one doctor, and a December one of another."""
    first, second = PatientFactory(), PatientFactory()
    past_visit(first, open_doctor, local("2026-11-03 09:00"))
    past_visit(first, open_doctor, local("2026-11-10 09:00"))
    past_visit(second, open_doctor, local("2026-11-17 09:00"))
    past_visit(second, open_doctor, local("2026-11-24 09:00"), Appointment.Status.NO_SHOW)
    past_visit(
        PatientFactory(), open_doctor, local("2026-11-30 09:00"), Appointment.Status.CANCELLED
    )
    # 1 December 00:00 clinic time is December, whatever UTC says.
    past_visit(first, open_doctor, local("2026-12-01 00:00"), Appointment.Status.CANCELLED)
    december_only = DoctorFactory()
    open_every_day(december_only)
    book(PatientFactory(), december_only, local("2026-12-02 09:00"))
    return open_doctor


def test_it_reports_last_month_once_per_active_doctor(november, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_monthly_reports.delay()
        tasks.send_monthly_reports.delay()

    report = MonthlyReport.objects.get()
    assert report.doctor == november
    assert report.month.isoformat() == "2026-11-01"
    assert report.figures["by_status"] == {
        "Booked": 0,
        "Arrived": 0,
        "Completed": 3,
        "Cancelled": 1,
        "No-show": 1,
    }
    assert report.figures["total"] == 5
    assert report.figures["patients_seen"] == 2
    assert report.figures["no_show_rate"] == 25.0
    (notice,) = Notification.objects.filter(event_key__startswith="monthly-report:")
    assert notice.status == Notification.Status.SENT
    assert [m.to for m in mail.outbox] == [[november.user.email]]
    assert mail.outbox[0].subject == "Your activity report for November 2026"
    assert "Patients seen: <strong>2</strong>" in mail.outbox[0].alternatives[0][0]


def test_it_keeps_the_report_as_it_was_made(november):
    tasks.send_monthly_reports.delay()
    past_visit(PatientFactory(), november, local("2026-11-05 10:00"))

    tasks.send_monthly_reports.delay()

    assert MonthlyReport.objects.get().figures["total"] == 5


def test_it_runs_by_hand_for_a_given_month(november):
    out = io.StringIO()

    call_command("send_monthly_reports", "--month", "2026-12", stdout=out)

    assert MonthlyReport.objects.count() == 2
    assert "2 doctor report(s)" in out.getvalue()


def test_it_shows_doctors_their_own_reports_and_admins_all(client, admin_user, november):
    tasks.send_monthly_reports.delay()
    report = MonthlyReport.objects.get()
    detail = reverse("reports:monthly-report-detail", args=[report.pk])

    client.force_login(november.user)
    own = client.get(detail)
    listing = client.get(reverse("reports:monthly-report-list"))
    client.force_login(DoctorFactory().user)
    other = client.get(detail)
    other_list = client.get(reverse("reports:monthly-report-list"))

    assert own.status_code == 200
    assert "November 2026" in own.text
    assert "Patients seen: <strong>2</strong>" in own.text
    assert detail in listing.text
    assert other.status_code == 404
    assert "No reports yet." in other_list.text
    client.force_login(admin_user)
    assert client.get(detail).status_code == 200


def test_it_keeps_patients_out(patient_client, november):
    tasks.send_monthly_reports.delay()
    report = MonthlyReport.objects.get()

    assert patient_client.get(reverse("reports:monthly-report-list")).status_code == 403
    assert (
        patient_client.get(reverse("reports:monthly-report-detail", args=[report.pk])).status_code
        == 403
    )


def test_it_lists_the_months_diagnoses_and_medicines(open_doctor, clinic_now):
    from clinic.tests.factories import TreatmentFactory

    clinic_now.move_to(local("2026-11-10 12:00"))
    past_visit(PatientFactory(), open_doctor, local("2026-11-10 09:00"))
    TreatmentFactory(doctor=open_doctor)
    TreatmentFactory(doctor=open_doctor)
    TreatmentFactory(doctor=open_doctor, diagnosis="Essential hypertension", icd10_code="I10")
    clinic_now.move_to(local("2026-12-01 08:00"))

    tasks.send_monthly_reports.delay()

    report = MonthlyReport.objects.get()
    assert report.figures["visits_recorded"] == 3
    assert report.figures["diagnoses"][0] == {
        "diagnosis": "Acute upper respiratory infection, unspecified",
        "code": "J06.9",
        "count": 2,
    }
    assert report.figures["medicines"] == [{"medicine": "Paracetamol", "count": 3}]
    assert "Acute upper respiratory infection, unspecified (J06.9): 2" in report.html


def test_it_posts_each_doctors_summary_to_google_chat_once(
    november, webhook, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_monthly_reports.delay()
        tasks.send_monthly_reports.delay()

    (body,) = webhook.received
    assert body["text"] == (
        f"{november} ({november.department}), November 2026: 5 appointments, "
        "2 patients seen, no-show rate 25.0%."
    )
    assert len(mail.outbox) == 1


def test_it_posts_nothing_to_chat_when_no_webhook_is_set(
    november, settings, django_capture_on_commit_callbacks
):
    settings.HMS_CHAT_WEBHOOK_URL = ""

    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_monthly_reports.delay()

    assert not Notification.objects.filter(channel=Notification.Channel.CHAT).exists()
    assert len(mail.outbox) == 1
