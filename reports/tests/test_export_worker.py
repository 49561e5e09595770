"""An export end to end through a real Celery worker on the real Redis broker."""

import csv
import io
import time

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from accounts.tests.factories import AdminFactory
from clinic.tests.factories import DoctorFactory, PatientFactory
from hms.celery import app
from reports import services
from reports.models import ExportJob
from scheduling import selectors
from scheduling import services as scheduling_services
from scheduling.tests.factories import open_every_day

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    # The worker has its own connection, so the data must be committed.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _wait_until_finished(job: ExportJob, seconds: float = 60) -> ExportJob:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            return job
        time.sleep(0.1)  # waiting on another process's work, not on the clock
    pytest.fail(f"The worker did not finish the export in {seconds}s (status {job.status})")


def test_it_writes_the_csv_on_a_real_worker():
    from celery.contrib.testing.worker import start_worker

    doctor = DoctorFactory()
    open_every_day(doctor)
    now = timezone.now()
    slots = [
        s for day in list(selectors.free_slots(doctor=doctor, now=now).values())[1:] for s in day
    ]
    for slot in slots[:5]:
        scheduling_services.appointment_book(
            patient=PatientFactory(), doctor=doctor, start=slot.start, now=now
        )
    admin = AdminFactory()
    app.conf.task_always_eager = False

    with start_worker(app, perform_ping_check=False, shutdown_timeout=30):
        job = services.export_request(user=admin, kind=ExportJob.Kind.APPOINTMENTS)
        job = _wait_until_finished(job)

    assert job.status == ExportJob.Status.DONE, job.error
    with default_storage.open(job.file.name) as handle:
        rows = list(csv.DictReader(io.StringIO(handle.read().decode("utf-8-sig"))))
    assert len(rows) == 5
    assert {r["doctor"] for r in rows} == {str(doctor)}
    assert sorted(r["time (Asia/Kolkata)"] for r in rows) == sorted(
        f"{timezone.localtime(s.start):%H:%M}" for s in slots[:5]
    )
