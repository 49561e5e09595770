"""Scheduling in the Django admin. Bookings and hours change through the web
pages and these actions, which call the services, so no rule is skipped.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from hms.paginator import CappedPaginator
from scheduling import services
from scheduling.models import (
    Appointment,
    AvailabilityException,
    WaitlistEntry,
    WeeklyAvailability,
)


class ReadOnlyAdmin(admin.ModelAdmin):
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


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "patient", "doctor", "first_day", "last_day", "status")
    list_filter = ("status", "doctor__department")
    search_fields = ("patient__user__last_name", "patient__user__email")
    list_select_related = ("patient__user", "doctor__user")


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    list_display = ("start", "patient", "doctor", "status", "created_at")
    search_fields = (
        "patient__user__first_name",
        "patient__user__last_name",
        "patient__user__email",
        "doctor__user__first_name",
        "doctor__user__last_name",
    )
    list_select_related = ("patient__user", "doctor__user")
    # At a million rows: count at most 10,000 once (not twice), and filter by
    # date with a list filter; date_hierarchy's year links scan the whole table.
    paginator = CappedPaginator
    show_full_result_count = False
    list_filter = ("status", ("start", admin.DateFieldListFilter), "doctor__department")
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
        "created_at",
        "updated_at",
    )
    readonly_fields = tuple(f for f in fields if f != "reason")
    actions = ["cancel_selected"]

    def has_add_permission(self, request):
        return False  # bookings are made on the booking pages, which check every rule

    @admin.action(description="Cancel the selected booked appointments (e-mails each patient)")
    def cancel_selected(self, request, queryset):
        done = 0
        for appointment in queryset:
            try:
                services.appointment_cancel(
                    appointment=appointment,
                    by=request.user,
                    reason="Cancelled by the hospital administration.",
                )
            except ValidationError as exc:
                self.message_user(
                    request, f"{appointment}: {' '.join(exc.messages)}", messages.WARNING
                )
            else:
                done += 1
        self.message_user(request, f"{done} appointment(s) cancelled.", messages.SUCCESS)
