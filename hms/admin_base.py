"""The base of every ModelAdmin in HMS. Imports no app.

Django's autocomplete widgets re-render a bound value with
``pk__in=[value]``: a value of the wrong type (``abc``, ``25:99``, a NUL
byte) raises inside the template instead of becoming the field's "Select a
valid choice" error, so the admin answered 500. These widgets drop such
values before the lookup; the form field still refuses them with its message.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def _holds(field, value) -> bool:
    """Whether ``value`` could be stored in model field ``field``: the right type,
    inside the column's range (an ``IN`` lookup with a 23-digit id overflows), no NUL.
    """
    if "\x00" in str(value):
        return False  # PostgreSQL refuses NUL in any text it is sent
    try:
        field.run_validators(field.to_python(value))
    except (ValidationError, TypeError, ValueError):
        return False
    return True


class SafeModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Refuses ids the key column could not hold with the field's own message,
    before they reach the database."""

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        target = self.queryset.model._meta.get_field(key) if key != "pk" else None
        target = target or self.queryset.model._meta.pk
        for pk in value:
            if not _holds(target, pk):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class _OnlyValidValues:
    """Keeps only the bound values the related key could hold."""

    def _target_field(self):
        remote = self.field.remote_field
        opts = remote.model._meta
        return opts.get_field(getattr(remote, "field_name", None) or opts.pk.name)

    def optgroups(self, name, value, attr=None):
        target = self._target_field()
        return super().optgroups(name, [v for v in value if _holds(target, v)], attr)


class SafeAutocompleteSelect(_OnlyValidValues, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_OnlyValidValues, AutocompleteSelectMultiple):
    pass


class SafeAutocompleteMixin:
    """Every autocomplete field of a ModelAdmin (or inline) gets the safe widget."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", SafeModelMultipleChoiceField)
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ModelAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    """The ModelAdmin every HMS model's admin derives from."""


class TabularInline(SafeAutocompleteMixin, admin.TabularInline):
    pass


class _SafeCrontabMixin:
    """django-celery-beat shows a crontab's description as a read-only field;
    for a crontab typed wrong (``-1``) celery's parser raises while the form
    with its errors is drawn. The description is then a dash.
    """

    def get_readonly_fields(self, request, obj=None):
        return ["crontab_description"]

    def get_fields(self, request, obj=None):
        return [
            "crontab_description" if name == "human_readable" else name
            for name in super().get_fields(request, obj)
        ]

    @admin.display(description=_("human readable"))
    def crontab_description(self, obj) -> str:
        try:
            return obj.human_readable
        except Exception:  # celery's ParseException and whatever a bad spec raises
            return "—"


def harden(site: admin.AdminSite) -> None:
    """Give every ModelAdmin registered on ``site`` (other packages' too) the safe
    autocomplete widgets; ours derive from ModelAdmin above already.
    """
    from django_celery_beat.admin import CrontabScheduleAdmin

    for model, model_admin in list(site._registry.items()):
        cls = type(model_admin)
        if isinstance(model_admin, SafeAutocompleteMixin):
            continue
        bases = (SafeAutocompleteMixin, cls)
        if issubclass(cls, CrontabScheduleAdmin):
            bases = (_SafeCrontabMixin, *bases)
        safe = type(cls.__name__, bases, {"__module__": cls.__module__})
        safe.inlines = [
            inline
            if issubclass(inline, SafeAutocompleteMixin)
            else type(inline.__name__, (SafeAutocompleteMixin, inline), {})
            for inline in cls.inlines
        ]
        site.unregister(model)
        site.register(model, safe)
