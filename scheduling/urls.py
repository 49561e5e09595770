from django.urls import path

from scheduling import views

app_name = "scheduling"

urlpatterns = [
    path("doctor/", views.doctor_home, name="doctor-home"),
    path("patient/", views.patient_home, name="patient-home"),
]
