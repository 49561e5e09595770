import io

import pytest
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from hms.celery import app

pytestmark = pytest.mark.django_db


def _setup() -> str:
    out = io.StringIO()
    call_command("setup_periodic_tasks", stdout=out)
    return out.getvalue()


def test_it_registers_every_periodic_job_once_in_the_clinic_zone(settings):
    first = _setup()
    second = _setup()

    tasks = PeriodicTask.objects.select_related("crontab").order_by("name")
    assert "created" in first
    assert "already there" in second
    assert tasks.count() == first.count("created")
    reminders = tasks.get(name="Appointment reminders")
    assert (reminders.crontab.hour, reminders.crontab.minute) == ("*", "*/5")
    assert str(reminders.crontab.timezone) == settings.TIME_ZONE
    sweep = tasks.get(name="Send the outbox")
    assert (sweep.task, sweep.crontab.minute) == ("notifications.tasks.dispatch_notifications", "*")
    app.loader.import_default_modules()
    for task in tasks:
        assert task.task in app.tasks, f"{task.task} is not a registered Celery task"


def test_it_keeps_a_schedule_changed_in_the_admin():
    _setup()
    task = PeriodicTask.objects.get(name="Appointment reminders")
    task.enabled = False
    task.save()

    _setup()

    assert PeriodicTask.objects.get(name="Appointment reminders").enabled is False


def test_it_removes_the_retired_daily_reminder_job():
    from django_celery_beat.models import CrontabSchedule

    PeriodicTask.objects.create(
        name="Daily appointment reminders",
        task="scheduling.tasks.send_daily_reminders",
        crontab=CrontabSchedule.objects.create(minute="0", hour="8"),
    )

    out = _setup()

    assert "Daily appointment reminders: removed" in out
    assert not PeriodicTask.objects.filter(name="Daily appointment reminders").exists()
