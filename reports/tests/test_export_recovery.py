"""A worker killed mid-export: the job's heartbeat stops, the sweep notices it within
minutes, runs it again once, then fails it so the person or an admin can retry."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from reports import services
from reports.models import STALE_HEARTBEAT, ExportJob

pytestmark = pytest.mark.django_db


def _died_running(user, *, attempts: int, minutes_ago: float) -> ExportJob:
    """A job a worker claimed and then died on, ``minutes_ago`` since its last heartbeat."""
    then = timezone.now() - timedelta(minutes=minutes_ago)
    return ExportJob.objects.create(
        requested_by=user,
        kind=ExportJob.Kind.APPOINTMENTS,
        status=ExportJob.Status.RUNNING,
        started_at=then,
        heartbeat_at=then,
        attempts=attempts,
        row_count=1000,
    )


def test_it_runs_again_a_job_whose_worker_died(
    admin_user,
    appointments,
    django_capture_on_commit_callbacks,
):
    job = _died_running(admin_user, attempts=1, minutes_ago=6)

    with django_capture_on_commit_callbacks(execute=True):
        requeued = services.exports_recover()

    job.refresh_from_db()
    assert requeued == 1
    assert job.status == ExportJob.Status.DONE
    assert job.row_count == 6
    assert job.attempts == 2


def test_it_leaves_a_job_with_a_fresh_heartbeat_alone(admin_user, appointments):
    job = _died_running(admin_user, attempts=1, minutes_ago=4)

    assert services.exports_recover() == 0

    job.refresh_from_db()
    assert job.status == ExportJob.Status.RUNNING
    assert not job.may_retry


def test_it_fails_a_job_whose_worker_died_twice_and_lets_it_be_retried(
    admin_client,
    admin_user,
    appointments,
    django_capture_on_commit_callbacks,
):
    job = _died_running(admin_user, attempts=2, minutes_ago=6)

    assert services.exports_recover() == 0

    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED
    assert job.error == services.STALLED
    page = admin_client.get(reverse("reports:export-detail", args=[job.pk]))
    assert "the worker running it was lost" in page.text
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("reports:export-retry", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    assert job.attempts == 1


def test_it_lets_an_admin_retry_a_stalled_job_before_the_sweep(
    admin_client,
    admin_user,
    appointments,
    django_capture_on_commit_callbacks,
):
    job = _died_running(admin_user, attempts=1, minutes_ago=STALE_HEARTBEAT.seconds / 60 + 1)

    page = admin_client.get(reverse("reports:export-detail", args=[job.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("reports:export-retry", args=[job.pk]))

    assert "stopped making progress" in page.text
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE


def test_it_refuses_to_retry_a_job_that_is_still_running(admin_user, appointments):
    job = _died_running(admin_user, attempts=1, minutes_ago=1)

    with pytest.raises(Exception, match="Only a failed or stalled export"):
        services.export_retry(job=job)


def test_it_does_not_run_a_redelivered_task_of_a_running_job(admin_user, appointments):
    job = _died_running(admin_user, attempts=1, minutes_ago=60)

    assert services.export_run(job_id=str(job.pk)) is False  # the sweep decides, not the broker

    job.refresh_from_db()
    assert job.status == ExportJob.Status.RUNNING


def test_it_saves_a_heartbeat_as_it_writes(admin_user, appointments, monkeypatch):
    monkeypatch.setattr(services, "PROGRESS_EVERY", 2)
    monkeypatch.setattr(services, "COPY_SOURCES", {})  # the rows through Python on PostgreSQL too
    job = ExportJob.objects.create(requested_by=admin_user, kind=ExportJob.Kind.APPOINTMENTS)

    with time_machine.travel(timezone.now(), tick=True):  # the clock runs during the export
        services.export_run(job_id=str(job.pk))

    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    assert job.heartbeat_at > job.started_at  # touched again after the claim


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_beats_from_a_second_connection_during_a_copy(monkeypatch):
    """PostgreSQL writes the appointments CSV with COPY, which keeps the job's own
    connection busy; the heartbeat goes through a second one."""
    from accounts.tests.factories import AdminFactory
    from clinic.tests.factories import DoctorFactory, PatientFactory
    from scheduling.tests.factories import past_visit

    doctor = DoctorFactory()
    for hour in range(9, 13):
        past_visit(PatientFactory(), doctor, timezone.now() - timedelta(days=1, hours=hour))
    monkeypatch.setattr(services, "PROGRESS_EVERY", 1)
    monkeypatch.setattr(services, "HEARTBEAT_EVERY", timedelta(0))
    job = ExportJob.objects.create(requested_by=AdminFactory(), kind=ExportJob.Kind.APPOINTMENTS)
    ExportJob.objects.filter(pk=job.pk).update(heartbeat_at=None)

    with time_machine.travel(timezone.now(), tick=True):
        services.export_run(job_id=str(job.pk))

    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE, job.error
    assert job.row_count == 4
    assert job.heartbeat_at > job.started_at
