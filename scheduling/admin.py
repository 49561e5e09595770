"""Scheduling in the Django admin. Bookings and hours change through the web
pages and these actions, which call the services, so no rule is skipped.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from clinic.models import Doctor, Patient
from clinic.selectors import patients_matching
from hms import admin_base as hms_admin
from hms.paginator import CappedPaginator
from scheduling import services
from scheduling.models import (
    Appointment,
    AvailabilityException,
    QueueDisplay,
    WaitlistEntry,
    WeeklyAvailability,
)


class ReadOnlyAdmin(hms_admin.ModelAdmin):
    """Browse, search and delete; changes go through the pages (they check the rules)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WeeklyAvailability)
class WeeklyAvailabilityAdmin(ReadOnlyAdmin):
    list_display = ("doctor", "weekday", "start_time", "end_time")
    list_filter = ("weekday", "doctor__department")
    search_fields = ("doctor__user__first_name", "doctor__user__last_name")
    list_select_related = ("doctor__user",)


@admin.register(AvailabilityException)
class AvailabilityExceptionAdmin(ReadOnlyAdmin):
    list_display = ("doctor", "date", "kind", "start_time", "end_time", "note")
    list_filter = ("kind", "doctor__department")
    search_fields = ("doctor__user__first_name", "doctor__user__last_name", "note")
    list_select_related = ("doctor__user",)
    date_hierarchy = "date"


class PatientOrDoctorSearch:
    """The search box finds a patient's rows by the one patient search
    (``clinic.selectors.patients_matching``: name, e-mail, phone digits, patient
    number), or a doctor's rows by the doctor's name (``search_fields``), so
    "98450 00001" or "P000012" finds the same patient here as on every page.
    """

    search_fields = ("doctor__user__first_name", "doctor__user__last_name")

    def get_search_results(self, request, queryset, search_term):
        by_doctor, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if not search_term.strip():
            return by_doctor, may_have_duplicates
        patients = patients_matching(Patient.objects.all(), search_term).values("pk")
        return by_doctor | queryset.filter(patient__in=patients), may_have_duplicates


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(PatientOrDoctorSearch, ReadOnlyAdmin):
    list_display = ("created_at", "patient", "doctor", "first_day", "last_day", "status")
    list_filter = ("status", "doctor__department")
    list_select_related = ("patient__user", "doctor__user")


class DoctorFilterForm(forms.Form):
    doctor__id__exact = forms.ModelChoiceField(
        queryset=Doctor.objects.select_related("user"),
        required=False,
        label=gettext_lazy("Doctor"),
        widget=hms_admin.SafeAutocompleteSelect(
            Appointment._meta.get_field("doctor"),
            admin.site,
            attrs={"data-submit-on-change": "true", "style": "width: 100%"},
        ),
    )


class DoctorAutocompleteFilter(admin.SimpleListFilter):
    """The doctor filter as the Django admin's search-as-you-type box: a list
    of a thousand doctors' links would cost a query and a page to scroll;
    this shows only the chosen one (one query when filtered, none otherwise).
    """

    title = gettext_lazy("doctor")
    parameter_name = "doctor__id__exact"
    template = "admin/scheduling/doctor_filter.html"

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        value = self.value()
        self.form = DoctorFilterForm({self.parameter_name: value} if value else None)
        # The other filters and the search stay applied when a doctor is chosen.
        self.kept = [
            (key, item)
            for key, values in request.GET.lists()
            if key not in (self.parameter_name, "p")
            for item in values
        ]

    def has_output(self) -> bool:
        return True

    def lookups(self, request, model_admin):
        return ()

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": _("All"),
        }

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        try:
            return queryset.filter(doctor_id=int(value))
        except ValueError:
            raise IncorrectLookupParameters(f"No doctor has the id {value!r}.") from None


@admin.register(Appointment)
class AppointmentAdmin(PatientOrDoctorSearch, hms_admin.ModelAdmin):
    list_display = ("start", "patient", "doctor", "status", "created_at")
    list_select_related = ("patient__user", "doctor__user")
    # At a million rows: count at most 10,000 once (not twice), and filter by
    # date with a list filter; date_hierarchy's year links scan the whole table.
    paginator = CappedPaginator
    show_full_result_count = False
    list_filter = (
        "status",
        ("start", admin.DateFieldListFilter),
        "doctor__department",
        DoctorAutocompleteFilter,
    )
    ordering = ("-start", "-id")
    # Who, when and the status move only through the services; the reason
    # for the visit is the one thing the back office may correct here.
    fields = (
        "patient",
        "doctor",
        "start",
        "end",
        "status",
        "reason",
        "cancellation_reason",
        "cancelled_by",
        "cancelled_at",
        "completed_at",
        "booked_by",
        "is_walk_in",
        "queue_day",
        "token",
        "arrived_at",
        "called_at",
        "created_at",
        "updated_at",
    )
    readonly_fields = tuple(f for f in fields if f != "reason")
    actions = ["cancel_selected"]

    def has_add_permission(self, request):
        return False  # bookings are made on the booking pages, which check every rule

    @property
    def media(self):
        # The doctor filter's search box (select2, the admin's own) and its submit-on-choose.
        return (
            super().media + DoctorFilterForm().media + forms.Media(js=["js/admin_doctor_filter.js"])
        )

    @admin.action(
        description=gettext_lazy("Cancel the selected booked appointments (e-mails each patient)")
    )
    def cancel_selected(self, request, queryset):
        done = 0
        for appointment in queryset:
            try:
                services.appointment_cancel(
                    appointment=appointment,
                    by=request.user,
                    reason=_("Cancelled by the hospital administration."),
                )
            except ValidationError as exc:
                self.message_user(
                    request, f"{appointment}: {' '.join(exc.messages)}", messages.WARNING
                )
            else:
                done += 1
        self.message_user(
            request,
            ngettext("%(count)d appointment cancelled.", "%(count)d appointments cancelled.", done)
            % {"count": done},
            messages.SUCCESS,
        )


@admin.register(QueueDisplay)
class QueueDisplayAdmin(hms_admin.ModelAdmin):
    """Admins create a waiting-room screen's secret link here and revoke it."""

    list_display = ("name", "doctor", "department", "created_at", "revoked_at", "link")
    list_filter = ("revoked_at",)
    fields = ("name", "doctor", "department", "link", "created_by", "created_at", "revoked_at")
    readonly_fields = ("link", "created_by", "created_at", "revoked_at")
    autocomplete_fields = ("doctor",)
    actions = ["revoke_selected"]

    @admin.display(description=gettext_lazy("Screen link"))
    def link(self, display):
        if not display.pk:
            return _("Shown once saved.")
        if display.revoked_at:
            return _("Revoked")
        url = reverse("scheduling:queue-display", args=[display.token])
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, url)

    def has_change_permission(self, request, obj=None):
        # A link is created and revoked, never edited into another scope.
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        # Only ever an addition: changes are refused above.
        services.queue_display_create(display=obj, by=request.user)

    @admin.action(
        description=gettext_lazy("Revoke the selected screen links (they stop working at once)")
    )
    def revoke_selected(self, request, queryset):
        done = sum(1 for display in queryset if services.queue_display_revoke(display=display))
        self.message_user(
            request,
            ngettext("%(count)d screen link revoked.", "%(count)d screen links revoked.", done)
            % {"count": done},
            messages.SUCCESS,
        )
