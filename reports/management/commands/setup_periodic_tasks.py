"""Register the periodic jobs with django-celery-beat. Safe to run any number of times.

A job that exists already is left as it is, so schedules changed in the
Django admin survive a redeploy. It lives in the top layer because it names
the tasks of every app.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django_celery_beat.models import CrontabSchedule, PeriodicTask

# Jobs of earlier releases, removed when the command runs.
RETIRED = ["Daily appointment reminders"]


def periodic_jobs() -> list[dict]:
    """(name, task, crontab) of every periodic job, in the clinic's time zone."""
    return [
        {
            "name": "Send the outbox",
            "task": "notifications.tasks.dispatch_notifications",
            "crontab": {"minute": "*", "hour": "*"},
        },
        {
            "name": "Start waiting CSV exports",
            "task": "reports.tasks.dispatch_exports",
            "crontab": {"minute": "*", "hour": "*"},
        },
        {
            "name": "Expire waitlist holds",
            "task": "scheduling.tasks.expire_waitlist_holds",
            "crontab": {"minute": "*", "hour": "*"},
        },
        {
            "name": "Appointment reminders",
            "task": "scheduling.tasks.send_reminders",
            "crontab": {"minute": "*/5", "hour": "*"},
        },
        {
            "name": "Monthly doctor reports",
            "task": "reports.tasks.send_monthly_reports",
            "crontab": {"minute": "0", "hour": "6", "day_of_month": "1"},
        },
        {
            "name": "Run again CSV exports whose worker died",
            "task": "reports.tasks.recover_exports",
            "crontab": {"minute": "*/2", "hour": "*"},
        },
        {
            "name": "Delete expired CSV exports",
            "task": "reports.tasks.expire_exports",
            "crontab": {"minute": "30", "hour": "3"},
        },
    ]


class Command(BaseCommand):
    help = "Create the periodic jobs in django-celery-beat (idempotent; keeps admin edits)."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        for name in RETIRED:
            if PeriodicTask.objects.filter(name=name).delete()[0]:
                self.stdout.write(f"{name}: removed (retired)")
        for job in periodic_jobs():
            schedule, _ = CrontabSchedule.objects.get_or_create(
                **{"day_of_week": "*", "day_of_month": "*", "month_of_year": "*", **job["crontab"]},
                timezone=settings.TIME_ZONE,
            )
            _, created = PeriodicTask.objects.get_or_create(
                name=job["name"], defaults={"task": job["task"], "crontab": schedule}
            )
            state = "created" if created else "already there"
            self.stdout.write(f"{job['name']}: {state}")
