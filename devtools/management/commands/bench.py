"""`make bench`: hospital-scale benchmarks into BENCHMARKS.md (see devtools/bench/run.py)."""

import json
import shlex
import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from devtools.bench import run


class Command(BaseCommand):
    help = (
        "Seed each size in turn (truncating the benchmark database), measure pages, load, "
        "the CSV export, reminders and the booking race, and write the table to BENCHMARKS.md."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--sizes", default="10000,1000000", help="appointments, comma-separated"
        )
        parser.add_argument("--repeat", type=int, default=10, help="timed requests per page")
        parser.add_argument("--seconds", type=float, default=5.0, help="per load scenario")
        parser.add_argument("--reminders", type=int, default=run.REMINDERS)
        parser.add_argument("--no-write", action="store_true", help="print only")
        parser.add_argument("--export-probe", help="internal: run one export job, print JSON")

    def handle(self, *args, **options) -> None:
        if options["export_probe"]:
            self.stdout.write(json.dumps(run.export_probe(options["export_probe"])))
            return
        if connection.vendor != "postgresql":
            raise CommandError("make bench needs PostgreSQL (DATABASE_URL); it truncates tables.")
        run.settings_check()
        sizes = [int(s) for s in options["sizes"].split(",")]
        report = run.run(
            sizes=sizes,
            repeat=options["repeat"],
            seconds=options["seconds"],
            reminders=options["reminders"],
            say=self.stdout.write,
        )
        command = "make bench  # python " + shlex.join(sys.argv)
        table = run.render(report, command=command)
        self.stdout.write(table)
        if not options["no_write"]:
            run.write(table)
