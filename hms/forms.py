"""Form helpers shared by the apps' views: one way to submit a form to a
service and answer, and the date and time widgets of every form.
"""

from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar

from crispy_forms.utils import render_crispy_form
from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import format_lazy
from django.utils.translation import get_language, override
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


T = TypeVar("T")


def submit(
    request: HttpRequest, form: forms.Form, service: Callable[..., T], /, **kwargs
) -> T | None:
    """On a valid POST, call ``service`` with the form's cleaned data (and ``kwargs``).

    Returns what the service returned, or None when there is nothing to save
    or the service refused: its ValidationError goes next to the form's fields
    (``add_service_errors``), and ``render_form`` then answers 422.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return service(**form.cleaned_data, **kwargs)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None


def crispy_fields(form: forms.Form) -> SafeString:
    """The form's fields as crispy lays them out (its helper needs ``form_tag``
    and ``disable_csrf``: the page's own ``<form>`` carries the token).

    An empty form (unbound, no initial values) reads the same for everyone, so
    it is laid out once per process and language; a submitted one shows its
    values and errors, so it is laid out each time.
    """
    if form.is_bound or form.initial:
        return render_crispy_form(form)
    return _blank_crispy_fields(type(form), get_language())


@cache
def _blank_crispy_fields(form_class: type[forms.Form], language: str) -> SafeString:
    with override(language):
        return render_crispy_form(form_class())


def form_status(*forms_: forms.BaseForm | forms.BaseFormSet | None) -> int:
    """422 Unprocessable Content when a submitted form has errors, else 200."""
    refused = any(form is not None and form.is_bound and not form.is_valid() for form in forms_)
    return 422 if refused else 200


def render_form(
    request: HttpRequest, template: str, context: dict[str, Any], *forms_: forms.BaseForm | None
) -> HttpResponse:
    """A form page: 422 when a submitted form (``forms_``, default the context's
    ``form``) has errors, so the browser, htmx and tests can tell a refusal.
    """
    status = form_status(*(forms_ or (context.get("form"),)))
    return render(request, template, context, status=status)


class DateInput(forms.DateInput):
    """A browser date picker; the value is always ISO (what ``<input type=date>`` reads)."""

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):
        super().__init__(attrs, format=format)


class TimeInput(forms.TimeInput):
    """A browser time picker, HH:MM."""

    input_type = "time"

    def __init__(self, attrs=None, format="%H:%M"):
        super().__init__(attrs, format=format)


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
