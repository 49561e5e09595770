"""``{% load navigation %}``: ``{% role_menu "includes/nav_menu.html" %}`` prints a
part of the navigation that is the same for everyone with the signed-in
person's role, in the page's language: the links of the role's menu.

Every page prints it, and its dozen ``{% url %}`` and translations cost more
than the rest of the layout; so each part is rendered once per process, role
and language, and printed from memory after that. The part sees only the
role (``user.is_admin``, ``user.role``, ...), never the person: a name or a
token written into it prints empty instead of reaching someone else's page.
Imports no app.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django import template
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import SafeString
from django.utils.translation import get_language, override

register = template.Library()


@dataclass(frozen=True)
class _Role:
    """What a role menu may know of the person: their role and nothing else."""

    is_authenticated: bool = False
    is_admin: bool = False
    is_reception: bool = False
    is_doctor: bool = False
    is_patient: bool = False
    role: str = ""

    @classmethod
    def of(cls, user) -> _Role:
        if user is None or not user.is_authenticated:
            return cls()
        role = getattr(user, "role", None)
        return cls(
            is_authenticated=True,
            is_admin=bool(user.is_admin),
            is_reception=bool(user.is_reception),
            is_doctor=bool(user.is_doctor),
            is_patient=bool(user.is_patient),
            role=str(role.value) if role is not None else "",
        )


@lru_cache(maxsize=256)
def _rendered(template_name: str, role: _Role, language: str, prefix: str, urlconf) -> SafeString:
    with override(language):
        return render_to_string(template_name, {"user": role})  # a SafeString


@register.simple_tag(takes_context=True)
def role_menu(context, template_name: str) -> SafeString:
    return _rendered(
        template_name,
        _Role.of(context.get("user")),
        get_language(),
        get_script_prefix(),
        get_urlconf(),
    )
