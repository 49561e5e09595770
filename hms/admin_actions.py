"""Django admin actions shared by every model. Imports no app."""

from __future__ import annotations

import csv

from django.contrib import admin
from django.contrib.admin.utils import label_for_field, lookup_field
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from hms.spreadsheet import safe_cell


class _Echo:
    """A file-like object whose write() hands back the line, for streaming."""

    def write(self, value: str) -> str:
        return value


def _cell(value) -> str:
    return safe_cell(strip_tags("" if value is None else str(value)))


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

    def rows():
        yield writer.writerow(
            [capfirst(str(label_for_field(f, model, model_admin=modeladmin))) for f in fields]
        )
        for obj in queryset.iterator(chunk_size=2000):
            values = []
            for name in fields:
                _, _, value = lookup_field(name, obj, modeladmin)
                values.append(_cell(value))
            yield writer.writerow(values)

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    filename = f"{model._meta.model_name}-{stamp}.csv"
    return StreamingHttpResponse(
        rows(),
        content_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
