from django.contrib import admin

from hms import admin_base as hms_admin
from reports.models import ExportJob, MonthlyReport


@admin.register(ExportJob)
class ExportJobAdmin(hms_admin.ModelAdmin):
    list_display = ("created_at", "kind", "requested_by", "status", "row_count", "expires_at")
    list_filter = ("kind", "status")
    search_fields = ("requested_by__email", "requested_by__last_name")
    list_select_related = ("requested_by",)
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in ExportJob._meta.fields]

    def has_add_permission(self, request):
        return False  # started from the appointments list or the patient's history


@admin.register(MonthlyReport)
class MonthlyReportAdmin(hms_admin.ModelAdmin):
    list_display = ("month", "doctor", "created_at")
    list_filter = ("month", "doctor__department")
    search_fields = ("doctor__user__first_name", "doctor__user__last_name")
    list_select_related = ("doctor__user",)
    date_hierarchy = "month"
    readonly_fields = ("doctor", "month", "html", "figures", "created_at")

    def has_add_permission(self, request):
        return False  # made by the monthly job, once per doctor and month
