"""The outbox in the Django admin: read-only, with its errors, and "retry now"."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from hms.paginator import CappedPaginator
from notifications import services
from notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "channel",
        "recipient",
        "subject",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "short_error",
    )
    list_filter = ("status", "channel", "created_at")
    search_fields = ("recipient", "event_key", "subject")
    date_hierarchy = "created_at"
    paginator = CappedPaginator
    show_full_result_count = False
    actions = ["retry_now"]
    exclude = ("user",)
    readonly_fields = [
        f.name for f in Notification._meta.get_fields() if f.concrete and f.name != "user"
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("last error"))
    def short_error(self, obj: Notification) -> str:
        return obj.last_error[:120]

    @admin.action(description=_("Retry the selected messages now"))
    def retry_now(self, request, queryset):
        count = services.notifications_retry(ids=queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            ngettext("%(count)d message queued again.", "%(count)d messages queued again.", count)
            % {"count": count},
            messages.SUCCESS,
        )
