from django.db import migrations

from accounts.roles import Role, grant_permissions


def grant(apps, schema_editor):
    # Admins see locked-out sign-ins and unlock them by deleting the attempts.
    grant_permissions(
        apps,
        Role.ADMIN,
        [
            "axes.view_accessattempt",
            "axes.delete_accessattempt",
            "axes.view_accessfailurelog",
            "axes.view_accesslog",
        ],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_roles"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
