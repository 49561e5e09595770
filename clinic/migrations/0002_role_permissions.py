from django.db import migrations

from accounts.roles import Role, grant_permissions


def grant(apps, schema_editor):
    grant_permissions(
        apps,
        Role.ADMIN,
        [
            f"clinic.{action}_{model}"
            for model in ("department", "doctor", "patient")
            for action in ("view", "add", "change")
        ],
    )
    grant_permissions(
        apps,
        Role.DOCTOR,
        ["clinic.view_department", "clinic.view_doctor", "clinic.view_patient"],
    )
    grant_permissions(apps, Role.PATIENT, ["clinic.view_department", "clinic.view_doctor"])


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0001_initial"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
