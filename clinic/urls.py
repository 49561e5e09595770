from django.urls import path

from clinic import views

app_name = "clinic"

urlpatterns = [
    path("accounts/register/", views.patient_register, name="patient-register"),
    path("accounts/register/sent/", views.patient_register_sent, name="patient-register-sent"),
    # The directory, for every signed-in person.
    path("departments/", views.department_list, name="department-list"),
    path("departments/<slug:slug>/", views.department_detail, name="department-detail"),
    path("doctors/", views.doctor_search, name="doctor-search"),
    path("doctors/<int:pk>/", views.doctor_detail, name="doctor-detail"),
    path("profile/", views.profile_edit, name="profile-edit"),
    # Management, for admins.
    path("manage/departments/", views.manage_department_list, name="manage-department-list"),
    path(
        "manage/departments/new/",
        views.manage_department_create,
        name="manage-department-create",
    ),
    path(
        "manage/departments/<int:pk>/edit/",
        views.manage_department_edit,
        name="manage-department-edit",
    ),
    path(
        "manage/departments/<int:pk>/toggle/",
        views.manage_department_toggle,
        name="manage-department-toggle",
    ),
    path("manage/doctors/", views.manage_doctor_list, name="manage-doctor-list"),
    path("manage/doctors/new/", views.manage_doctor_create, name="manage-doctor-create"),
    path("manage/doctors/<int:pk>/edit/", views.manage_doctor_edit, name="manage-doctor-edit"),
    path(
        "manage/doctors/<int:pk>/toggle/", views.manage_doctor_toggle, name="manage-doctor-toggle"
    ),
    path("manage/reception/", views.manage_reception_list, name="manage-reception-list"),
    path("manage/reception/new/", views.manage_reception_create, name="manage-reception-create"),
    path("manage/patients/", views.manage_patient_list, name="manage-patient-list"),
    path("manage/patients/<int:pk>/", views.manage_patient_detail, name="manage-patient-detail"),
    path("manage/patients/<int:pk>/edit/", views.manage_patient_edit, name="manage-patient-edit"),
    path(
        "manage/patients/<int:pk>/toggle/",
        views.manage_patient_toggle,
        name="manage-patient-toggle",
    ),
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
