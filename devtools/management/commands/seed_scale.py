"""Fill the database with hospital-scale data for the benchmark (see devtools/bench/seed.py)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from devtools.bench import seed


class Command(BaseCommand):
    help = (
        "Bulk-load N appointments over 3 years with the doctors, patients, visit records and "
        "prescriptions they imply (PostgreSQL COPY). --reset empties the tables first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--appointments", type=int, default=1_000_000)
        parser.add_argument(
            "--reset", action="store_true", help="truncate every table the benchmark fills first"
        )

    def handle(self, *args, appointments: int, reset: bool, **options) -> None:
        if reset:
            if connection.vendor != "postgresql":
                raise CommandError("--reset is for the PostgreSQL benchmark database only.")
            seed.reset()
        made = seed.seed(appointments=appointments, say=self.stdout.write)
        self.stdout.write(self.style.SUCCESS(f"Seeded: {made}"))
