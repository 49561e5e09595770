"""Load the demo data and print the demo logins. Safe to run any number of times.

It lives in the top layer because it seeds every layer below it.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from clinic.demo import DEMO_PASSWORD, seed_directory
from scheduling.demo import seed_queue_display, seed_schedule


class Command(BaseCommand):
    help = (
        "Create the demo admin, departments, doctors, patients, hours and appointments "
        "(idempotent)."
    )

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            logins = seed_directory()
            seed_schedule()
            screen = seed_queue_display()
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Sign in at /accounts/login/ as:"))
        for role, email in logins:
            self.stdout.write(f"  {role:<9} {email:<32} password: {DEMO_PASSWORD}")
        self.stdout.write(f"Waiting-room screen (no sign-in): {screen}")
