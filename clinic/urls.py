from django.urls import path

from clinic import views

app_name = "clinic"

urlpatterns = [
    path("accounts/register/", views.patient_register, name="patient-register"),
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
    path("manage/patients/", views.manage_patient_list, name="manage-patient-list"),
    path("manage/patients/<int:pk>/", views.manage_patient_detail, name="manage-patient-detail"),
    path("manage/patients/<int:pk>/edit/", views.manage_patient_edit, name="manage-patient-edit"),
    path(
        "manage/patients/<int:pk>/toggle/",
        views.manage_patient_toggle,
        name="manage-patient-toggle",
    ),
]
