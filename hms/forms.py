"""Form helpers shared by the apps' views."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _


def up_to(limit: int, text: str = "") -> str:
    """A field's help text that states its length limit (translated when shown)."""
    note = format_lazy(_("Up to {limit} characters."), limit=f"{limit:,}")
    return format_lazy("{} {}", text, note) if text else note


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's ValidationError next to its field, or at the top of the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class LongSelect(forms.Select):
    """A select for long lists (a hospital's thousand doctors): the options are
    joined in Python instead of a template per option, which costs about a
    tenth of a millisecond each. Render it with ``{{ form.field }}``, not
    crispy's select template (which loops over the options in a template too).
    """

    def render(self, name, value, attrs=None, renderer=None) -> str:
        chosen = "" if value is None else str(value)
        attrs = self.build_attrs(self.attrs, attrs)
        attrs["name"] = name
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (str(v), mark_safe(" selected") if str(v) == chosen else "", label)
                for v, label in self.choices
            ),
        )
        return format_html("<select{}>{}</select>", flatatt(attrs), options)
