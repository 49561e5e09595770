"""CSV exports: requested on a page, written by a worker, downloaded by their owner."""

import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from reports import services
from reports.models import ExportJob
from scheduling import services as scheduling_services
from scheduling.tests.factories import book, local

pytestmark = pytest.mark.django_db


def _export(client, data, django_capture_on_commit_callbacks):
    """Ask for an export; the task runs when the request's transaction commits."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:export-create"), data)
    return client.get(response["Location"])


def _rows(client, job) -> list[dict]:
    response = client.get(reverse("reports:export-download", args=[job.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    data = b"".join(response.streaming_content)
    assert data.startswith(b"\xef\xbb\xbf")  # the UTF-8 byte order mark Excel needs
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_it_exports_the_filtered_appointments_end_to_end(
    admin_client, appointments, open_doctor, django_capture_on_commit_callbacks
):
    response = _export(
        admin_client,
        {"kind": "appointments", "doctor": open_doctor.pk, "status": "booked"},
        django_capture_on_commit_callbacks,
    )

    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.DONE
    assert response.request["PATH_INFO"] == reverse("reports:export-detail", args=[job.pk])
    assert "Download CSV (2 rows)" in response.text
    rows = _rows(admin_client, job)
    assert [(r["date (Asia/Kolkata)"], r["time (Asia/Kolkata)"], r["status"]) for r in rows] == [
        ("2026-12-02", "12:00", "Booked"),
        ("2026-12-02", "11:00", "Booked"),
    ]
    assert rows[0]["patient id"] == appointments[4].patient.patient_number
    assert rows[0]["doctor"] == str(open_doctor)
    assert rows[0]["department"] == open_doctor.department.name
    assert [m.subject for m in mail.outbox] == ["Your appointments export is ready"]


def test_it_neutralises_spreadsheet_formulas(
    admin_client, appointments, django_capture_on_commit_callbacks
):
    _export(admin_client, {"kind": "appointments"}, django_capture_on_commit_callbacks)

    rows = _rows(admin_client, ExportJob.objects.get())

    assert len(rows) == 6
    assert "'=HYPERLINK(evil)" in [r["reason"] for r in rows]


def test_it_shows_progress_and_polls_until_done(admin_client, admin_user, appointments):
    job = ExportJob.objects.create(requested_by=admin_user, kind="appointments")
    url = reverse("reports:export-detail", args=[job.pk])

    waiting = admin_client.get(url)
    fragment = admin_client.get(url, headers={"HX-Request": "true"})
    services.export_run(job_id=str(job.pk))
    done = admin_client.get(url, headers={"HX-Request": "true"})

    assert 'hx-trigger="every 1s"' in waiting.text
    assert "Waiting" in waiting.text
    assert fragment.text.lstrip().startswith('<div id="export-progress"')
    assert "<html" not in fragment.text
    assert "hx-trigger" not in done.text
    assert "6 of 6 rows" in done.text
    assert reverse("reports:export-download", args=[job.pk]) in done.text
    assert '<strong id="export-status">Ready</strong>' in done.text
    assert "we e-mail you when it is ready" in waiting.text
    assert "we e-mail you when it is ready" not in done.text


def test_it_runs_a_job_only_once(admin_user, appointments, django_capture_on_commit_callbacks):
    job = ExportJob.objects.create(requested_by=admin_user, kind="appointments")

    with django_capture_on_commit_callbacks(execute=True):
        assert services.export_run(job_id=str(job.pk)) is True
        assert services.export_run(job_id=str(job.pk)) is False

    (message,) = mail.outbox
    assert message.subject == "Your appointments export is ready"
    assert f"http://127.0.0.1:8000/exports/{job.pk}/" in message.body


def test_it_shows_a_failure_and_retries_it(
    admin_client, admin_user, appointments, django_capture_on_commit_callbacks
):
    job = ExportJob.objects.create(
        requested_by=admin_user, kind="appointments", filters={"date_from": "not a date"}
    )
    services.export_run(job_id=str(job.pk))
    url = reverse("reports:export-detail", args=[job.pk])

    failed = admin_client.get(url)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED
    assert "The export failed: Invalid isoformat string" in failed.text
    assert reverse("reports:export-retry", args=[job.pk]) in failed.text

    ExportJob.objects.filter(pk=job.pk).update(filters={})  # the cause is fixed
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("reports:export-retry", args=[job.pk]))

    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    assert job.row_count == 6


def test_it_expires_exports_after_seven_days(admin_client, admin_user, appointments, clinic_now):
    job = ExportJob.objects.create(requested_by=admin_user, kind="appointments")
    services.export_run(job_id=str(job.pk))
    job.refresh_from_db()
    name = job.file.name
    assert default_storage.exists(name)

    clinic_now.move_to(timezone.now() + timedelta(days=6))
    assert services.exports_expire() == 0
    clinic_now.move_to(timezone.now() + timedelta(days=2))
    assert services.exports_expire() == 1

    job.refresh_from_db()
    assert job.status == ExportJob.Status.EXPIRED
    assert not default_storage.exists(name)
    admin_client.force_login(admin_user)  # a week idle ended the admin's session
    assert admin_client.get(reverse("reports:export-download", args=[job.pk])).status_code == 404


def test_it_keeps_exports_private(client, admin_user, appointments, patient):
    job = ExportJob.objects.create(requested_by=admin_user, kind="appointments")
    services.export_run(job_id=str(job.pk))
    client.force_login(patient.user)

    for name in ("export-detail", "export-download"):
        assert client.get(reverse(f"reports:{name}", args=[job.pk])).status_code == 404
    assert client.post(reverse("reports:export-retry", args=[job.pk])).status_code == 404
    assert "No exports yet." in client.get(reverse("reports:export-list")).text


def test_it_refuses_an_appointments_export_to_a_patient(patient_client):
    response = patient_client.post(
        reverse("reports:export-create"), {"kind": "appointments"}, follow=True
    )

    assert "You cannot export this." in response.text
    assert not ExportJob.objects.exists()


def test_it_keeps_doctors_out_of_exports(doctor_client):
    assert doctor_client.get(reverse("reports:export-list")).status_code == 403
    assert doctor_client.post(reverse("reports:export-create"), {"kind": "x"}).status_code == 403


def test_it_streams_rows_without_loading_them_all(
    admin_user, appointments, django_assert_max_num_queries
):
    job = ExportJob.objects.create(requested_by=admin_user, kind="appointments")

    # Claim, load, count, total, rows (one chunked query), finish, re-read and the
    # ready e-mail into the outbox (in savepoints): the same for any size.
    with django_assert_max_num_queries(14):
        services.export_run(job_id=str(job.pk))


def test_it_exports_a_patients_own_treatment_history(
    client, open_doctor, patient, clinic_now, django_capture_on_commit_callbacks
):
    from clinic.tests.factories import TreatmentFactory
    from scheduling.services import appointment_complete_with_treatment

    appointment = book(patient, open_doctor, local("2026-12-01 10:00"))
    clinic_now.move_to(local("2026-12-01 10:05"))
    appointment_complete_with_treatment(
        appointment=appointment,
        by=open_doctor.user,
        diagnosis="Essential hypertension",
        icd10_code="I10",
        notes="Less salt; walk daily.",
        items=[
            {"medicine": "Amlodipine", "dosage": "5 mg", "frequency": "once a day",
             "duration_days": 30, "instructions": "Morning"},
            {"medicine": "Aspirin", "dosage": "75 mg", "frequency": "once a day",
             "duration_days": 30, "instructions": ""},
        ],
        next_visit_on=local("2026-12-31 00:00").date(),
    )  # fmt: skip
    clinic_now.move_to(local("2026-12-02 11:00"))
    TreatmentFactory(patient=patient, doctor=open_doctor)  # a walk-in the next day
    TreatmentFactory(doctor=open_doctor)  # someone else's visit
    client.force_login(patient.user)

    history = client.get(reverse("clinic:history-mine"))
    assert "Export my history as CSV" in history.text
    response = _export(client, {"kind": "treatments"}, django_capture_on_commit_callbacks)

    assert "Download CSV (2 rows)" in response.text
    rows = _rows(client, ExportJob.objects.get())
    assert list(rows[0]) == [
        "patient id", "patient name", "doctor", "department", "appointment date",
        "diagnosis", "treatment", "prescription", "next visit",
    ]  # fmt: skip
    first, second = rows
    assert first["patient id"] == patient.patient_number
    assert first["patient name"] == patient.user.get_full_name()
    assert first["doctor"] == str(open_doctor)
    assert first["appointment date"] == "2026-12-01"
    assert first["diagnosis"] == "Essential hypertension [I10]"
    assert first["treatment"] == "Less salt; walk daily."
    assert first["prescription"] == (
        "Amlodipine 5 mg, once a day, 30 days (Morning); Aspirin 75 mg, once a day, 30 days"
    )
    assert first["next visit"] == "2026-12-31"
    assert second["appointment date"] == "2026-12-02"
    assert second["prescription"].startswith("Paracetamol 500 mg")


def test_it_lets_an_admin_export_one_patients_history(
    admin_client, open_doctor, patient, django_capture_on_commit_callbacks
):
    from clinic.tests.factories import TreatmentFactory

    TreatmentFactory(patient=patient, doctor=open_doctor)
    TreatmentFactory(doctor=open_doctor)

    _export(
        admin_client,
        {"kind": "treatments", "patient": patient.pk},
        django_capture_on_commit_callbacks,
    )

    rows = _rows(admin_client, ExportJob.objects.get())
    assert [r["patient id"] for r in rows] == [patient.patient_number]


def test_it_writes_words_non_english_names_and_cancellation_reasons(
    admin_client, appointments, django_capture_on_commit_callbacks
):
    """Opened in Excel: UTF-8 with its byte order mark, so "Dévi Ñúñez" stays so."""
    patient = appointments[2].patient
    patient.user.first_name, patient.user.last_name = "Dévi", "Ñúñez"
    patient.user.save()
    scheduling_services.appointment_cancel(
        appointment=appointments[2], by=patient.user,
        reason="Doctor on leave — rebooked",
    )  # fmt: skip
    _export(admin_client, {"kind": "appointments"}, django_capture_on_commit_callbacks)

    rows = {r["appointment id"]: r for r in _rows(admin_client, ExportJob.objects.get())}

    cancelled = rows[str(appointments[2].pk)]
    assert cancelled["patient name"] == "Dévi Ñúñez"
    assert cancelled["status"] == "Cancelled"
    assert cancelled["cancellation reason"] == "Doctor on leave — rebooked"
    assert rows[str(appointments[3].pk)]["cancellation reason"] == ""
    assert {r["status"] for r in rows.values()} == {"Booked", "Cancelled"}
