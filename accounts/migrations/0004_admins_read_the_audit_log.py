from django.db import migrations

from accounts.roles import Role, grant_permissions


def grant(apps, schema_editor):
    grant_permissions(apps, Role.ADMIN, ["auditlog.view_logentry"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_admins_unlock_sign_ins"),
        ("auditlog", "0017_add_actor_email"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
