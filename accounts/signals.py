"""Session housekeeping (no business rules here): the staff idle clock, the
role kept in the session, the language chosen before signing in.
"""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils import translation

from accounts import services
from accounts.middleware import remember_role
from accounts.models import User
from accounts.person_cache import person_changed
from hms.middleware import renew_staff_session


@receiver(user_logged_in)
def start_staff_idle_clock(sender, request, user, **kwargs) -> None:
    """A staff session starts with the idle deadline, so it needs no extra write later."""
    if user.is_staff and request is not None and hasattr(request, "session"):
        renew_staff_session(request.session)


@receiver(user_logged_in)
def keep_role_in_session(sender, request, user, **kwargs) -> None:
    """The role goes into the session as it starts, so the first page reads no groups."""
    if request is not None and hasattr(request, "session") and not user.is_superuser:
        remember_role(request.session, user)


@receiver(user_logged_in)
def keep_chosen_language(sender, request, user, **kwargs) -> None:
    """A person who chose a language (the switcher's cookie) before signing in
    to an account with none keeps it on the account. An account with one gets
    its pages in it from this answer on (PreferredLanguageMiddleware also sets
    the cookie to it on the response).
    """
    if request is None:
        return
    if not user.preferred_language:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if chosen in dict(settings.LANGUAGES):
            services.user_set_language(user=user, language=chosen)
    if user.preferred_language:
        translation.activate(user.preferred_language)
        request.LANGUAGE_CODE = user.preferred_language


@receiver(m2m_changed, sender=User.groups.through)
def bump_groups_version(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """Whoever's groups change (from either side of the relation, the Django
    admin included) gets a new ``groups_version``, so the role kept in their
    sessions is read again on their next request.
    """
    if reverse:
        # instance is a group: its members before a clear, the named users otherwise.
        if action == "pre_clear":
            users = User.objects.filter(groups=instance)
            person_changed(users.values_list("pk", flat=True))
        elif action in ("post_add", "post_remove"):
            users = User.objects.filter(pk__in=pk_set or ())
            person_changed(pk_set or ())
        else:
            return
        users.update(groups_version=F("groups_version") + 1)
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    User.objects.filter(pk=instance.pk).update(groups_version=F("groups_version") + 1)
    person_changed([instance.pk])
    # This instance may be saved again: it must not write the old number back.
    instance.groups_version = User.objects.values_list("groups_version", flat=True).get(
        pk=instance.pk
    )
    instance.__dict__.pop("role", None)


@receiver(post_save, sender=User)
@receiver(post_delete, sender=User)
def forget_kept_person(sender, instance, **kwargs) -> None:
    """A saved or deleted account is read from the database on its next request."""
    person_changed([instance.pk])
