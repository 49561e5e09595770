from django.db import migrations

from accounts.roles import Role, grant_permissions


def grant(apps, schema_editor):
    grant_permissions(
        apps,
        Role.ADMIN,
        [
            f"scheduling.{action}_{model}"
            for model in ("appointment", "weeklyavailability", "availabilityexception", "reminder")
            for action in ("view", "change", "delete")
        ],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("scheduling", "0003_reminder"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
