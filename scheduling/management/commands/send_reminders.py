"""Run the daily reminders by hand (the embedded default has no beat)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from scheduling import services


class Command(BaseCommand):
    help = (
        "Send today's (or --date's) appointment reminders. Safe to run again: sends nothing twice."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--date", help="the clinic-local day, YYYY-MM-DD (default: today)")

    def handle(self, *args, **options) -> None:
        day = None
        if options["date"]:
            try:
                day = date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError("--date must look like 2026-12-01") from exc
        count = services.daily_reminders_send(day=day)
        self.stdout.write(f"{count} reminder(s) handed to the workers for {day or 'today'}.")
