from django.db import migrations

from accounts.roles import Role, grant_permissions


def grant(apps, schema_editor):
    grant_permissions(
        apps,
        Role.ADMIN,
        [
            f"reports.{action}_{model}"
            for model in ("exportjob", "monthlyreport")
            for action in ("view", "delete")
        ],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_monthlyreport"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
