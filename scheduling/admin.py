from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from scheduling import services
from scheduling.models import Appointment, AvailabilityException, WeeklyAvailability


@admin.register(WeeklyAvailability)
class WeeklyAvailabilityAdmin(admin.ModelAdmin):
    list_display = ("doctor", "weekday", "start_time", "end_time")
    list_filter = ("weekday", "doctor__department")
    search_fields = ("doctor__user__first_name", "doctor__user__last_name")
    list_select_related = ("doctor__user",)
    autocomplete_fields = ("doctor",)


@admin.register(AvailabilityException)
class AvailabilityExceptionAdmin(admin.ModelAdmin):
    list_display = ("doctor", "date", "kind", "start_time", "end_time", "note")
    list_filter = ("kind", "doctor__department")
    search_fields = ("doctor__user__first_name", "doctor__user__last_name", "note")
    list_select_related = ("doctor__user",)
    autocomplete_fields = ("doctor",)
    date_hierarchy = "date"


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    list_display = ("start", "patient", "doctor", "status", "created_at")
    list_filter = ("status", "doctor__department")
    search_fields = (
        "patient__user__first_name",
        "patient__user__last_name",
        "patient__user__email",
        "doctor__user__first_name",
        "doctor__user__last_name",
    )
    list_select_related = ("patient__user", "doctor__user")
    autocomplete_fields = ("patient", "doctor")
    date_hierarchy = "start"
    readonly_fields = ("cancelled_by", "cancelled_at", "completed_at", "created_at", "updated_at")
    actions = ["cancel_selected"]

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
