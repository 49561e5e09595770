from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("hospital/", views.admin_home, name="admin-home"),
    path("reports/monthly/", views.monthly_report_list, name="monthly-report-list"),
    path("reports/monthly/<int:pk>/", views.monthly_report_detail, name="monthly-report-detail"),
    path("exports/", views.export_list, name="export-list"),
    path("exports/new/", views.export_create, name="export-create"),
    path("exports/<uuid:pk>/", views.export_detail, name="export-detail"),
    path("exports/<uuid:pk>/download/", views.export_download, name="export-download"),
    path("exports/<uuid:pk>/retry/", views.export_retry, name="export-retry"),
]
