"""PostgreSQL refuses overlapping active appointments of a doctor or a patient.

Exclusion constraints over ``tstzrange(start, end)`` (btree_gist lets the
doctor/patient id take part with ``=``). SQLite has no such constraint; there
the booking service checks for overlaps inside an IMMEDIATE transaction, which
SQLite runs one writer at a time, and the partial unique indexes of 0001 hold
on both.
"""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations

CONSTRAINTS = {
    "scheduling_appointment_doctor_no_overlap": "doctor_id",
    "scheduling_appointment_patient_no_overlap": "patient_id",
}


def add_constraints(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in CONSTRAINTS.items():
        schema_editor.execute(
            f"ALTER TABLE scheduling_appointment ADD CONSTRAINT {name} "
            f"EXCLUDE USING gist ({column} WITH =, tstzrange(start, \"end\", '[)') WITH &&) "
            "WHERE (status IN ('booked', 'completed'))"
        )


def remove_constraints(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in CONSTRAINTS:
        schema_editor.execute(f"ALTER TABLE scheduling_appointment DROP CONSTRAINT {name}")


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0001_initial")]

    operations = [
        BtreeGistExtension(),
        migrations.RunPython(add_constraints, remove_constraints),
    ]
