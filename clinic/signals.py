"""Cache invalidation only: edits made outside the services (the Django admin,
a shell) must not leave a stale directory or a stale signed-in person behind.
No business rules here.
"""

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts.person_cache import person_changed
from clinic.models import Department, Doctor, Patient
from clinic.selectors import directory_changed


@receiver(post_save, sender=Department)
@receiver(post_delete, sender=Department)
@receiver(post_save, sender=Doctor)
@receiver(post_delete, sender=Doctor)
def _directory_row_changed(sender, **kwargs) -> None:
    directory_changed()


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def _doctor_account_changed(sender, instance, update_fields=None, **kwargs) -> None:
    # A doctor's name or enabled flag is part of the directory; signing in
    # (which saves last_login) is not.
    if update_fields is not None and set(update_fields) <= {"last_login", "password"}:
        return
    if Doctor.objects.filter(user_id=instance.pk).exists():
        directory_changed()


@receiver(post_save, sender=Patient)
@receiver(post_delete, sender=Patient)
@receiver(post_save, sender=Doctor)
@receiver(post_delete, sender=Doctor)
def _person_row_changed(sender, instance, **kwargs) -> None:
    # Kept with the signed-in person (accounts.person_cache).
    person_changed([instance.user_id])


@receiver(post_save, sender=Department)
@receiver(post_delete, sender=Department)
def _doctors_department_changed(sender, instance, **kwargs) -> None:
    # A doctor's department is kept with them when they are signed in.
    person_changed(
        Doctor.objects.filter(department_id=instance.pk).values_list("user_id", flat=True)
    )
