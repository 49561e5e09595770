from django.db import migrations

from accounts.roles import Role, grant_permissions


def grant(apps, schema_editor):
    # Admins read the outbox and retry what failed (the "retry now" action).
    grant_permissions(apps, Role.ADMIN, ["notifications.view_notification"])


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
