"""Reports in Hindi: the dashboard, the exports' pages, and the CSV files written
in the language of the person who asked for them.
"""

import csv
import io

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import translation

from clinic.tests.factories import TreatmentFactory
from reports import services
from reports.models import ExportJob, MonthlyReport

pytestmark = pytest.mark.django_db

HINDI = {"HTTP_ACCEPT_LANGUAGE": "hi"}


@pytest.fixture(autouse=True)
def _english_afterwards():
    """A Hindi request leaves Hindi active in the thread; the next test starts in English."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def _header(job: ExportJob) -> list[str]:
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    with default_storage.open(job.file.name, "rb") as f:
        text = f.read().decode("utf-8-sig")
    return next(csv.reader(io.StringIO(text)))


def _export_treatments(user, django_capture_on_commit_callbacks) -> ExportJob:
    with django_capture_on_commit_callbacks(execute=True):
        return services.export_request(user=user, kind=ExportJob.Kind.TREATMENTS)


def test_a_hindi_users_export_has_hindi_column_names(
    patient, open_doctor, django_capture_on_commit_callbacks
):
    TreatmentFactory(patient=patient, doctor=open_doctor)
    patient.user.preferred_language = "hi"
    patient.user.save(update_fields=["preferred_language"])

    job = _export_treatments(patient.user, django_capture_on_commit_callbacks)

    assert _header(job) == [
        "मरीज़ आईडी", "मरीज़ का नाम", "डॉक्टर", "विभाग", "अपॉइंटमेंट की तारीख़",
        "निदान", "इलाज", "पर्चा", "अगली विज़िट",
    ]  # fmt: skip


def test_an_export_stays_english_for_a_person_who_chose_no_language(
    patient, open_doctor, django_capture_on_commit_callbacks
):
    TreatmentFactory(patient=patient, doctor=open_doctor)

    # Even when the worker happens to run in another language.
    with translation.override("hi"):
        job = _export_treatments(patient.user, django_capture_on_commit_callbacks)

    assert _header(job)[0] == "patient id"


def test_an_appointments_export_has_hindi_status_words(
    admin_user, appointments, django_capture_on_commit_callbacks
):
    admin_user.preferred_language = "hi"
    admin_user.save(update_fields=["preferred_language"])

    with django_capture_on_commit_callbacks(execute=True):
        job = services.export_request(user=admin_user, kind=ExportJob.Kind.APPOINTMENTS)
    job.refresh_from_db()
    with default_storage.open(job.file.name, "rb") as f:
        rows = list(csv.reader(io.StringIO(f.read().decode("utf-8-sig"))))

    assert rows[0][:3] == ["अपॉइंटमेंट आईडी", "तारीख़ (Asia/Kolkata)", "समय (Asia/Kolkata)"]
    assert rows[0][7] == "स्थिति"


def test_the_export_page_shows_its_status_in_hindi(patient_client, patient):
    job = ExportJob.objects.create(requested_by=patient.user, kind=ExportJob.Kind.TREATMENTS)

    response = patient_client.get(reverse("reports:export-detail", args=[job.pk]), **HINDI)

    assert '<strong id="export-status">इंतज़ार में</strong>' in response.text  # Waiting
    assert "इलाज का इतिहास एक्सपोर्ट" in response.text  # Treatment history export


def test_the_dashboard_is_hindi(admin_client, hospital):
    response = admin_client.get(reverse("reports:admin-home"), **HINDI)

    assert '<h1 class="h3 mb-0">अस्पताल डैशबोर्ड</h1>' in response.text
    assert "आज के अपॉइंटमेंट" in response.text  # Appointments today
    assert 'data-series="नहीं आए की दर (%)"' in response.text
    # The cached figures are the same numbers; their day labels follow the page.
    english = admin_client.get(reverse("reports:admin-home"))
    assert "Hospital dashboard" in english.text
    assert '"2 Nov"' in english.text


def test_a_monthly_report_is_written_in_the_doctors_language(open_doctor, clinic_now):
    open_doctor.user.preferred_language = "hi"
    open_doctor.user.save(update_fields=["preferred_language"])

    report = services.monthly_report_create(doctor=open_doctor, month=clinic_now_month())

    assert isinstance(report, MonthlyReport)
    assert "स्थिति के अनुसार अपॉइंटमेंट" in report.html  # Appointments by status
    assert "इस महीने कोई पर्चा नहीं।" in report.html


def clinic_now_month():
    from hms.clinic_time import clinic_today

    return clinic_today().replace(day=1)


def test_a_lost_workers_export_says_so_in_hindi(patient_client, patient):
    job = ExportJob.objects.create(
        requested_by=patient.user,
        kind=ExportJob.Kind.TREATMENTS,
        status=ExportJob.Status.FAILED,
        error=services.STALLED,
    )

    response = patient_client.get(reverse("reports:export-detail", args=[job.pk]), **HINDI)

    assert "एक्सपोर्ट विफल रहा: एक्सपोर्ट रुक गया क्योंकि उसे चलाने वाला वर्कर खो गया।" in (response.text)
    english = patient_client.get(reverse("reports:export-detail", args=[job.pk]))
    assert f"The export failed: {services.STALLED}" in english.text
