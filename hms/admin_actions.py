"""Django admin actions shared by every model. Imports no app."""

from __future__ import annotations

import csv
from datetime import datetime

from django.contrib import admin
from django.contrib.admin.utils import label_for_field, lookup_field
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hms.spreadsheet import safe_cell


class _Echo:
    """A file-like object whose write() hands back the line, for streaming."""

    def write(self, value: str) -> str:
        return value


def _cell(field, value) -> str:
    """As a person reads it: a choice's label ("No-show"), a moment in clinic time."""
    if value is None:
        return ""
    if getattr(field, "flatchoices", None):
        value = dict(field.flatchoices).get(value, value)
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return safe_cell(strip_tags(str(value)))


def _header(name, model, modeladmin) -> str:
    label = capfirst(str(label_for_field(name, model, model_admin=modeladmin)))
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return label
    if isinstance(field, models.DateTimeField):
        # Times are the clinic's: the column says in which zone.
        zone = timezone.get_current_timezone_name()
        return gettext("%(column)s (%(zone)s)") % {"column": label, "zone": zone}
    return label


@admin.action(description=_("Export the selected rows to CSV"))
def export_selected_as_csv(modeladmin, request, queryset) -> StreamingHttpResponse:
    """The changelist's columns for the selected rows, streamed as CSV."""
    fields = [f for f in modeladmin.get_list_display(request) if f != "action_checkbox"]
    related = modeladmin.list_select_related
    if related is True:
        queryset = queryset.select_related()
    elif related:
        queryset = queryset.select_related(*related)
    writer = csv.writer(_Echo())
    model = queryset.model

    # The header now, in the request's language (the rows stream later).
    header = [_header(f, model, modeladmin) for f in fields]

    def rows():
        # A byte order mark first, so Excel reads non-English names as UTF-8.
        yield "\ufeff" + writer.writerow(header)
        for obj in queryset.iterator(chunk_size=2000):
            values = []
            for name in fields:
                field, _, value = lookup_field(name, obj, modeladmin)
                values.append(_cell(field, value))
            yield writer.writerow(values)

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    filename = f"{model._meta.model_name}-{stamp}.csv"
    return StreamingHttpResponse(
        rows(),
        content_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
