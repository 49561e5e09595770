"""Recording who opened which record, for the audit log. Imports no app."""

from __future__ import annotations

from auditlog.models import LogEntry
from auditlog.signals import accessed
from django.db.models import Model


def record_access(instance: Model, *, by) -> None:
    """Log that ``by`` opened ``instance`` (staff only: a patient reading their
    own record is not an access to audit). Who and from which address come
    from the audit-log middleware.
    """
    if getattr(by, "is_admin", False) or getattr(by, "is_doctor", False):
        accessed.send(sender=type(instance), instance=instance)


def record_break_glass(instance: Model, *, by, reason: str) -> None:
    """Log that ``by`` opened ``instance`` without any care relationship to it
    (break-the-glass), with the reason they gave. It is an access entry like
    the others, flagged ``break_glass`` in its additional data, so the person
    sees it among "who viewed my record" and admins can filter for it.
    """
    LogEntry.objects.log_create(
        instance,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=by,
        additional_data={"break_glass": True, "reason": reason},
    )
