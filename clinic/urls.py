from django.urls import path

from clinic import views

app_name = "clinic"

urlpatterns = [
    path("accounts/register/", views.patient_register, name="patient-register"),
]
