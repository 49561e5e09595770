"""Create the Admin, Doctor and Patient groups.

Each app grants its own model permissions to these groups in a migration of
its own (``accounts.roles.grant_permissions``).
"""

from django.db import migrations

from accounts.roles import Role, grant_permissions


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for role in Role:
        Group.objects.get_or_create(name=role.group_name)
    grant_permissions(
        apps,
        Role.ADMIN,
        ["accounts.view_user", "accounts.add_user", "accounts.change_user", "auth.view_group"],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
