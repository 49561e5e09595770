from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.admin import disable_selected, enable_selected
from clinic import services
from clinic.models import Department, Doctor, Patient, PrescriptionItem, Treatment
from clinic.selectors import patients_matching
from hms import admin_base as hms_admin
from hms.paginator import CappedPaginator
from hms.phones import normalize_phone


@admin.register(Department)
class DepartmentAdmin(hms_admin.ModelAdmin):
    list_display = ("name", "slug", "is_active", "updated_at")
    list_filter = ("is_active",)
    search_fields = ("name", "description")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("created_at", "updated_at")
    actions = ("deactivate", "reactivate")

    @admin.action(
        description=gettext_lazy("Deactivate the selected departments (hide from patients)")
    )
    def deactivate(self, request, queryset):
        for department in queryset:
            services.department_set_active(department=department, is_active=False)

    @admin.action(description=gettext_lazy("Reactivate the selected departments"))
    def reactivate(self, request, queryset):
        for department in queryset:
            services.department_set_active(department=department, is_active=True)


@admin.register(Doctor)
class DoctorAdmin(hms_admin.ModelAdmin):
    list_display = (
        "__str__",
        "department",
        "specialization",
        "experience_years",
        "consultation_minutes",
        "is_accepting_patients",
    )
    list_filter = ("department", "is_accepting_patients", "user__is_active")
    search_fields = (
        "user__first_name",
        "user__last_name",
        "user__email",
        "specialization",
        "registration_number",
    )
    list_select_related = ("user", "department")
    autocomplete_fields = ("user", "department")
    readonly_fields = ("created_at", "updated_at")
    date_hierarchy = "created_at"
    actions = ("disable_doctors", "enable_doctors")

    @admin.action(description=gettext_lazy("Disable the selected doctors (hidden, not bookable)"))
    def disable_doctors(self, request, queryset):
        reason = _("Disabled in the back office by %(name)s.") % {
            "name": request.user.get_full_name()
        }
        done = 0
        for doctor in queryset.select_related("user"):
            try:
                services.doctor_disable(doctor=doctor, reason=reason, by=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{doctor}: {' '.join(exc.messages)}", messages.WARNING)
            else:
                done += 1
        self.message_user(
            request,
            ngettext("%(count)d doctor disabled.", "%(count)d doctors disabled.", done)
            % {"count": done},
            messages.SUCCESS,
        )

    @admin.action(description=gettext_lazy("Enable the selected doctors"))
    def enable_doctors(self, request, queryset):
        for doctor in queryset.select_related("user"):
            services.doctor_enable(doctor=doctor, by=request.user)
        self.message_user(request, _("Doctors enabled."), messages.SUCCESS)


class PatientAdminSiteForm(forms.ModelForm):
    class Meta:
        model = Patient
        fields = (
            "user",
            "date_of_birth",
            "gender",
            "blood_group",
            "address",
            "emergency_contact_name",
            "emergency_contact_phone",
            "allergies",
        )

    def clean_emergency_contact_phone(self) -> str:
        # The services' rule (clinic.services.patient_update): E.164 or an error here.
        field = "emergency_contact_phone"
        try:
            return normalize_phone(self.cleaned_data.get(field, ""), field=field)
        except ValidationError as exc:
            raise ValidationError(exc.error_dict[field]) from exc


@admin.register(Patient)
class PatientAdmin(hms_admin.ModelAdmin):
    form = PatientAdminSiteForm
    list_display = ("__str__", "patient_number", "date_of_birth", "gender", "blood_group")
    list_filter = ("gender", "blood_group", "user__is_active")
    # Turns the search box (and the autocomplete) on; the search itself is
    # get_search_results below.
    search_fields = ("user__last_name",)
    list_select_related = ("user",)
    autocomplete_fields = ("user",)
    readonly_fields = ("created_at", "updated_at")
    date_hierarchy = "created_at"
    actions = ("disable_patients", "enable_patients")

    @admin.action(
        description=gettext_lazy("Disable the selected patients (no sign-in, no booking)")
    )
    def disable_patients(self, request, queryset):
        disable_selected(self, request, [p.user for p in queryset.select_related("user")])

    @admin.action(description=gettext_lazy("Enable the selected patients"))
    def enable_patients(self, request, queryset):
        enable_selected(self, request, [p.user for p in queryset.select_related("user")])

    @admin.display(description=gettext_lazy("Patient number"))
    def patient_number(self, obj):
        return obj.patient_number

    def get_search_results(self, request, queryset, search_term):
        # The one patient search: names, e-mail, phone digits, patient number.
        return patients_matching(queryset, search_term), False


class PrescriptionItemInline(hms_admin.TabularInline):
    model = PrescriptionItem
    extra = 0
    fields = ("medicine", "dosage", "frequency", "duration_days", "instructions")


@admin.register(Treatment)
class TreatmentAdmin(hms_admin.ModelAdmin):
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
    # At a million rows: count at most 10,000, once; dates by the visit_date
    # list filter (date_hierarchy's year links would scan the whole table).
    paginator = CappedPaginator
    show_full_result_count = False
    autocomplete_fields = ("patient", "doctor")
    readonly_fields = ("created_at", "updated_at", "amended_at", "amended_by")
    inlines = [PrescriptionItemInline]
