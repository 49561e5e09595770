"""The four roles of HMS. Each is a Django group of the same name."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Admin")
    RECEPTION = "reception", _("Reception")
    DOCTOR = "doctor", _("Doctor")
    PATIENT = "patient", _("Patient")

    @property
    def group_name(self) -> str:
        """The group's name, in English whatever the page's language."""
        return self.value.capitalize()


# The front desk's work (registering, booking for patients, check-in, the
# queue) is open to these roles: admins can do everything reception can.
FRONT_DESK = (Role.RECEPTION, Role.ADMIN)


def grant_permissions(apps, role: Role, perms: list[str]) -> None:
    """Give ``role``'s group the model permissions ``perms`` ("app.codename").

    For data migrations: each app grants the permissions on its own models in
    its own migration, so ``accounts`` never names the models of a higher
    layer. Permissions are normally created after ``migrate`` finishes, so
    they are created here first for the apps named.
    """
    from django.contrib.auth.management import create_permissions

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=role.group_name)
    for app_label in {perm.split(".", 1)[0] for perm in perms}:
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
    for perm in perms:
        app_label, codename = perm.split(".", 1)
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
