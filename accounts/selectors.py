"""Reads on people's accounts."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import User
from accounts.roles import Role


def people_with_role(*, user, role: Role) -> QuerySet[User]:
    """The accounts of ``role`` (e.g. the receptionists), for admins only."""
    if not (user.is_authenticated and user.role == Role.ADMIN):
        return User.objects.none()
    return User.objects.filter(groups__name=role.group_name).order_by(
        "last_name", "first_name", "id"
    )
