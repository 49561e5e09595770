from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("hospital/", views.admin_home, name="admin-home"),
]
