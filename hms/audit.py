"""Recording who opened which record, for the audit log. Imports no app."""

from __future__ import annotations

from auditlog.signals import accessed
from django.db.models import Model


def record_access(instance: Model, *, by) -> None:
    """Log that ``by`` opened ``instance`` (staff only: a patient reading their
    own record is not an access to audit). Who and from which address come
    from the audit-log middleware.
    """
    if getattr(by, "is_admin", False) or getattr(by, "is_doctor", False):
        accessed.send(sender=type(instance), instance=instance)
