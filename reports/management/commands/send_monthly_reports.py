"""Make and e-mail the monthly doctor reports by hand (the embedded default has no beat)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from reports import services


class Command(BaseCommand):
    help = "Make last month's (or --month's) doctor reports and e-mail each once."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--month", help="YYYY-MM (default: last month)")

    def handle(self, *args, **options) -> None:
        month = None
        if options["month"]:
            try:
                month = date.fromisoformat(options["month"] + "-01")
            except ValueError as exc:
                raise CommandError("--month must look like 2026-11") from exc
        count = services.monthly_reports_run(month=month)
        self.stdout.write(f"{count} doctor report(s) for {month or 'last month'}.")
