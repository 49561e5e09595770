"""Writes on people's accounts. Views, admin actions and commands call these."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import User, UserManager
from accounts.roles import Role

EMAIL_TAKEN = "A person with this e-mail address is already registered."


@transaction.atomic
def user_create(
    *,
    email: str,
    first_name: str,
    last_name: str,
    role: Role,
    password: str | None = None,
    phone: str = "",
) -> User:
    """Create a person with one role.

    Admins are made staff so they can use the Django admin site; doctors and
    patients never are. Without a password the account cannot be signed in
    to until a password is set through a reset link.
    """
    user = User(
        email=UserManager.normalize_email(email),
        first_name=first_name,
        last_name=last_name,
        phone=phone,
        is_staff=role == Role.ADMIN,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    try:
        # A savepoint, so a lost race on the same e-mail leaves the caller's
        # transaction usable and becomes the same message as full_clean's.
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        raise ValidationError({"email": EMAIL_TAKEN}) from exc
    user.groups.add(Group.objects.get(name=role.group_name))
    return user
