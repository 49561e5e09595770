from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from hms import views
from hms.admin_actions import export_selected_as_csv

admin.site.site_header = "HMS back office"
admin.site.site_title = "HMS admin"
admin.site.index_title = "Hospital administration"
admin.site.add_action(export_selected_as_csv)

urlpatterns = [
    path("", views.landing, name="landing"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("", include("clinic.urls")),
    path("", include("scheduling.urls")),
    path("", include("reports.urls")),
    path("admin/", admin.site.urls),
]

if settings.HMS_BENCH_VIEWS:
    # Developer tooling (the benchmark's baselines), never in production.
    urlpatterns += [path("bench/", include("devtools.urls"))]
