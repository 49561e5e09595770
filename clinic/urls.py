from django.urls import path

from clinic import views

app_name = "clinic"

urlpatterns = [
    path("accounts/register/", views.patient_register, name="patient-register"),
    path("history/", views.my_history, name="history-mine"),
    path("patients/<int:pk>/history/", views.patient_history, name="patient-history"),
    path("visits/walk-in/", views.walkin_start, name="walkin-start"),
    path("visits/walk-in/<int:patient_pk>/", views.walkin_record, name="walkin-record"),
    path("visits/<int:pk>/", views.treatment_detail, name="treatment-detail"),
    path("visits/<int:pk>/amend/", views.treatment_amend, name="treatment-amend"),
    path("visits/<int:pk>/prescription/", views.prescription_print, name="prescription-print"),
    path("visits/icd10/", views.icd10_search, name="icd10-search"),
    path("visits/prescription-line/", views.prescription_line_add, name="prescription-line-add"),
]
