from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from accounts.roles import Role


def role_required(*roles: Role) -> Callable:
    """Let in signed-in people of the given roles; others get 403.

    Anonymous people are sent to the login page first.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        @login_required
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.user.role not in roles:
                raise PermissionDenied(_("This page is not available to your role."))
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
