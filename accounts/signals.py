"""Session housekeeping at sign-in (no business rules here)."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from hms.middleware import renew_staff_session


@receiver(user_logged_in)
def start_staff_idle_clock(sender, request, user, **kwargs) -> None:
    """A staff session starts with the idle deadline, so it needs no extra write later."""
    if user.is_staff and request is not None and hasattr(request, "session"):
        renew_staff_session(request.session)
