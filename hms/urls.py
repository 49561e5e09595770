from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from hms import views
from hms.admin_actions import export_selected_as_csv
from hms.admin_base import harden

admin.site.site_header = _("HMS back office")
admin.site.site_title = _("HMS admin")
admin.site.index_title = _("Hospital administration")
admin.site.add_action(export_selected_as_csv)
# Every registered ModelAdmin, other packages' included: junk never answers 500.
harden(admin.site)

urlpatterns = [
    path("", views.landing, name="landing"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("language/", include("accounts.language_urls")),
    path("", include("clinic.urls")),
    path("", include("scheduling.urls")),
    path("", include("reports.urls")),
    # The Django admin signs in through our page (password, then the second factor).
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="accounts:login", query_string=True),
        name="admin-login",
    ),
    path("", include("api.urls")),
    path("admin/", admin.site.urls),
]

if settings.HMS_BENCH_VIEWS:
    # Developer tooling (the benchmark's baselines), never in production.
    urlpatterns += [path("bench/", include("devtools.urls"))]
