from django.db import migrations

from accounts.roles import Role, grant_permissions


def grant(apps, schema_editor):
    grant_permissions(
        apps,
        Role.RECEPTION,
        [
            "clinic.view_department",
            "clinic.view_doctor",
            "clinic.view_patient",
            "clinic.add_patient",
            "clinic.change_patient",
        ],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0004_list_indexes"),
        ("accounts", "0005_email_optional_reception"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
