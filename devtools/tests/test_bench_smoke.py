"""The benchmark (`make bench`) on tiny data, so it cannot rot: seeding, every
page it measures (with the status it expects), the CSV export, the reminders
and the table. The HTTP parts (gunicorn) run only in `make bench`.
"""

import pytest

from devtools.bench import run
from scheduling.models import Appointment


@pytest.mark.django_db
def test_it_runs_the_benchmark_on_tiny_data(tmp_path):
    report = run.run(
        sizes=[40, 80], repeat=1, http=False, reminders=30, reset=False, say=lambda *a: None
    )

    assert Appointment.objects.filter(reason="Check-up").count() == 40 + 80 + 30
    for size in (40, 80):
        pages = report.pages[size]
        assert len(pages) == 12
        assert pages["booking POST /book/<doctor>/"][0] > 0
    assert report.export["rows"] == Appointment.objects.count() - 30  # before the reminder day
    assert report.export["status"] == "done"
    assert report.reminders["first"]["sent"] == 30
    assert report.reminders["second"]["sent"] == 0
    table = run.render(report, command="pytest")
    assert "| patient home /patient/ |" in table
    assert "(d) Daily reminders on a day with 30 booked appointments" in table
    target = tmp_path / "BENCHMARKS.md"
    target.write_text(f"# Benchmarks\n\nhand-written\n{run.START}\nold\n{run.END}\nafter\n")
    run.write(table, target)
    text = target.read_text()
    assert "hand-written" in text
    assert "after" in text
    assert "old" not in text
    assert table in text
