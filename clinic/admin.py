from django.contrib import admin

from clinic.models import Department, Doctor, Patient, PrescriptionItem, Treatment


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "is_active", "updated_at")
    list_filter = ("is_active",)
    search_fields = ("name", "description")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("created_at", "updated_at")


@admin.register(Doctor)
class DoctorAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "department",
        "specialization",
        "experience_years",
        "consultation_minutes",
        "is_accepting_patients",
    )
    list_filter = ("department", "is_accepting_patients", "user__is_active")
    search_fields = ("user__first_name", "user__last_name", "user__email", "specialization")
    list_select_related = ("user", "department")
    autocomplete_fields = ("user", "department")
    readonly_fields = ("created_at", "updated_at")


@admin.register(Patient)
class PatientAdmin(admin.ModelAdmin):
    list_display = ("__str__", "patient_number", "date_of_birth", "gender", "blood_group")
    list_filter = ("gender", "blood_group", "user__is_active")
    search_fields = ("user__first_name", "user__last_name", "user__email", "user__phone")
    list_select_related = ("user",)
    autocomplete_fields = ("user",)
    readonly_fields = ("created_at", "updated_at")
    date_hierarchy = "created_at"


class PrescriptionItemInline(admin.TabularInline):
    model = PrescriptionItem
    extra = 0
    fields = ("medicine", "dosage", "frequency", "duration_days", "instructions")


@admin.register(Treatment)
class TreatmentAdmin(admin.ModelAdmin):
    list_display = ("visit_date", "patient", "doctor", "diagnosis", "icd10_code", "next_visit_on")
    list_filter = ("doctor__department", "visit_date", "next_visit_on")
    search_fields = (
        "patient__user__first_name",
        "patient__user__last_name",
        "patient__user__email",
        "doctor__user__first_name",
        "doctor__user__last_name",
        "diagnosis",
        "icd10_code",
        "items__medicine",
    )
    list_select_related = ("patient__user", "doctor__user")
    autocomplete_fields = ("patient", "doctor")
    date_hierarchy = "visit_date"
    readonly_fields = ("created_at", "updated_at", "amended_at", "amended_by")
    inlines = [PrescriptionItemInline]
