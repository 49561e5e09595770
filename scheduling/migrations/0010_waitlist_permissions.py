from django.db import migrations

from accounts.roles import Role, grant_permissions


def grant(apps, schema_editor):
    grant_permissions(apps, Role.ADMIN, ["scheduling.view_waitlistentry"])


class Migration(migrations.Migration):
    dependencies = [
        ("scheduling", "0009_waitlist_and_holds"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
