"""``{% load phones %}``: ``{{ user.phone|readable_phone }}`` shows a stored
E.164 number as people read it ("+91 98450 00001"). Imports no app."""

from __future__ import annotations

from django import template

from hms.phones import readable_phone as _readable_phone

register = template.Library()


@register.filter
def readable_phone(value) -> str:
    return _readable_phone(str(value or ""))
