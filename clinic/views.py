from collections.abc import Callable
from functools import partial

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.decorators import role_required
from accounts.roles import Role
from accounts.selectors import people_with_role
from accounts.services import reception_create, user_disable, user_enable
from clinic import icd10, selectors, services
from clinic.forms import (
    PRESCRIPTION_PREFIX,
    BreakGlassForm,
    DepartmentForm,
    DisableForm,
    DoctorForm,
    PatientAdminForm,
    PatientProfileForm,
    PatientRegistrationForm,
    PatientSearchForm,
    PrescriptionFormSet,
    SearchForm,
    StaffForm,
    treatment_data,
    treatment_forms,
    treatment_forms_with_new_line,
)
from clinic.models import Department, Doctor, Patient, Treatment
from hms.audit import record_access
from hms.forms import add_service_errors, render_form, submit
from hms.htmx import render_page_or_fragment
from hms.paginator import CountedPagePaginator
from hms.phones import readable_phone

PAGE_SIZE = 20


def patient_register(request):
    """Patients sign themselves up; admins and doctors are created by admins.

    The answer is the same whether or not the e-mail already has an account
    (the e-mail to that address says which); the person then signs in.
    """
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = PatientRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.patient_sign_up(
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                phone=data["phone"],
                password=data["password1"],
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            request.session[REGISTERED_EMAIL_KEY] = data["email"]
            return redirect("clinic:patient-register-sent")
    return render_form(request, "clinic/register.html", {"form": form})


REGISTERED_EMAIL_KEY = "_hms_registered_email"


def patient_register_sent(request):
    """What everyone who registers reads next, new or known e-mail alike."""
    email = request.session.get(REGISTERED_EMAIL_KEY, "")
    return render(request, "clinic/register_sent.html", {"email": email})


# Helpers shared by the pages below.


def _query(request: HttpRequest) -> str:
    form = SearchForm(request.GET)
    return form.cleaned_data["q"].strip() if form.is_valid() else ""


def _page(request: HttpRequest, items, paginator: type[Paginator] = Paginator) -> Page:
    return paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


def _search_page(
    request: HttpRequest,
    template: str,
    items,
    paginator: type[Paginator] = Paginator,
    **context,
) -> HttpResponse:
    """A searchable, paginated list; an HTMX request gets only its results partial."""
    context.update(q=_query(request), page_obj=_page(request, items, paginator))
    return render_page_or_fragment(request, template, "results", context)


# The directory, for every signed-in person (patients mainly).


@login_required
def department_list(request: HttpRequest) -> HttpResponse:
    departments = selectors.department_directory()
    return render(request, "clinic/department_list.html", {"departments": departments})


@login_required
def department_detail(request: HttpRequest, slug: str) -> HttpResponse:
    # The directory's cached list; admins also reach the inactive departments.
    department = selectors.directory_department(slug=slug) or get_object_or_404(
        Department.objects.visible_to(request.user).values(
            "id", "name", "slug", "description", "is_active"
        ),
        slug=slug,
    )
    doctors = selectors.department_doctors(department_id=department["id"])
    context = {"department": department, "doctors": doctors}
    return render(request, "clinic/department_detail.html", context)


@login_required
def doctor_detail(request: HttpRequest, pk: int) -> HttpResponse:
    doctors = Doctor.objects.visible_to(request.user).select_related("user", "department")
    doctor = get_object_or_404(doctors, pk=pk)
    return render(request, "clinic/doctor_detail.html", {"doctor": doctor})


@login_required
def doctor_search(request: HttpRequest) -> HttpResponse:
    doctors = selectors.doctor_search(user=request.user, query=_query(request)).only(
        *selectors.DOCTOR_SHOWN_FIELDS
    )
    # A short list: the page's rows bring their count.
    return _search_page(request, "clinic/doctor_search.html", doctors, CountedPagePaginator)


@role_required(Role.PATIENT)
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    patients = Patient.objects.visible_to(request.user).select_related("user")
    patient = get_object_or_404(patients, user=request.user)
    form = PatientProfileForm(request.POST or None, initial=PatientProfileForm.initial_for(patient))
    if submit(request, form, services.patient_update, patient=patient):
        messages.success(request, _("Your profile has been saved."))
        return redirect("clinic:profile-edit")
    return render_form(
        request,
        "clinic/profile_edit.html",
        {"form": form, "patient": patient, "views": selectors.record_views(patient=patient)},
    )


# Management pages, for admins.


@role_required(Role.ADMIN)
def manage_department_list(request: HttpRequest) -> HttpResponse:
    departments = selectors.department_manage_list(user=request.user)
    context = {"page_obj": _page(request, departments)}
    return render(request, "clinic/manage_department_list.html", context)


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def manage_department_create(request: HttpRequest) -> HttpResponse:
    form = DepartmentForm(request.POST or None, submit_label=_("Create department"))
    if department := submit(request, form, services.department_create):
        messages.success(request, _("Department “%(name)s” created.") % {"name": department.name})
        return redirect("clinic:manage-department-list")
    context = {"form": form, "title": _("New department")}
    return render_form(request, "clinic/manage_department_form.html", context)


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def manage_department_edit(request: HttpRequest, pk: int) -> HttpResponse:
    department = get_object_or_404(Department.objects.visible_to(request.user), pk=pk)
    initial = {"name": department.name, "description": department.description}
    form = DepartmentForm(request.POST or None, initial=initial)
    if submit(request, form, services.department_update, department=department):
        messages.success(request, _("Department “%(name)s” saved.") % {"name": department.name})
        return redirect("clinic:manage-department-list")
    context = {
        "form": form,
        "title": _("Edit %(name)s") % {"name": department.name},
        "department": department,
    }
    return render_form(request, "clinic/manage_department_form.html", context)


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def manage_department_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then deactivate or reactivate a department (never delete it)."""
    departments = selectors.department_manage_list(user=request.user)
    department = get_object_or_404(departments, pk=pk)
    if request.method == "POST":
        services.department_set_active(department=department, is_active=not department.is_active)
        if department.is_active:
            done = _("Department “%(name)s” reactivated.")
        else:
            done = _("Department “%(name)s” deactivated.")
        messages.success(request, done % {"name": department.name})
        return redirect("clinic:manage-department-list")
    return render(request, "clinic/manage_department_toggle.html", {"department": department})


@role_required(Role.ADMIN)
def manage_doctor_list(request: HttpRequest) -> HttpResponse:
    doctors = selectors.doctor_search(user=request.user, query=_query(request))
    return _search_page(request, "clinic/manage_doctor_list.html", doctors, CountedPagePaginator)


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def manage_doctor_create(request: HttpRequest) -> HttpResponse:
    form = DoctorForm(request.POST or None, submit_label=_("Create doctor and send invitation"))
    if doctor := submit(request, form, services.doctor_create):
        services.doctor_invite(doctor=doctor, base_url=request.build_absolute_uri("/"))
        messages.success(
            request,
            _("%(doctor)s has been created and e-mailed a link to choose a password (%(email)s).")
            % {"doctor": doctor, "email": doctor.user.email},
        )
        return redirect("clinic:manage-doctor-list")
    return render_form(
        request, "clinic/manage_doctor_form.html", {"form": form, "title": _("New doctor")}
    )


@role_required(Role.ADMIN)
def manage_reception_list(request: HttpRequest) -> HttpResponse:
    people = people_with_role(user=request.user, role=Role.RECEPTION)
    return render(request, "clinic/manage_reception_list.html", {"people": people})


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def manage_reception_create(request: HttpRequest) -> HttpResponse:
    """Admins create a front-desk account; the person is e-mailed an invitation."""
    form = StaffForm(request.POST or None)
    if user := submit(request, form, reception_create):
        services.account_invite(user=user, base_url=request.build_absolute_uri("/"))
        messages.success(
            request,
            _(
                "%(name)s can now work at the front desk and has been e-mailed "
                "a link to choose a password (%(email)s)."
            )
            % {"name": user.get_full_name(), "email": user.email},
        )
        return redirect("clinic:manage-reception-list")
    return render_form(request, "clinic/manage_reception_form.html", {"form": form})


def _managed_doctor(request: HttpRequest, pk: int) -> Doctor:
    doctors = Doctor.objects.visible_to(request.user).select_related("user", "department")
    return get_object_or_404(doctors, pk=pk)


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def manage_doctor_edit(request: HttpRequest, pk: int) -> HttpResponse:
    doctor = _managed_doctor(request, pk)
    user = doctor.user
    initial = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "phone": readable_phone(user.phone),
        "department": doctor.department,
        "specialization": doctor.specialization,
        "qualification": doctor.qualification,
        "registration_number": doctor.registration_number,
        "experience_years": doctor.experience_years,
        "consultation_minutes": doctor.consultation_minutes,
        "bio": doctor.bio,
        "is_accepting_patients": doctor.is_accepting_patients,
    }
    form = DoctorForm(
        request.POST or None, initial=initial, user=user, submit_label=_("Save doctor")
    )
    if submit(request, form, services.doctor_update, doctor=doctor):
        messages.success(request, _("%(doctor)s saved.") % {"doctor": doctor})
        return redirect("clinic:manage-doctor-list")
    context = {
        "form": form,
        "title": _("Edit %(name)s") % {"name": doctor},
        "doctor": doctor,
    }
    return render_form(request, "clinic/manage_doctor_form.html", context)


def _account_toggle(
    request, *, person, user, disable, enable, back: str, after_disable: str | None = None
) -> HttpResponse:
    """Confirm, then disable (with a reason) or re-enable a doctor's or patient's account."""
    if not user.is_active:
        form = None
        if request.method == "POST":
            enable(by=request.user)
            messages.success(request, _("%(person)s can sign in again.") % {"person": person})
            return redirect(back)
    else:
        form = DisableForm(request.POST or None)
        if submit(request, form, disable, by=request.user):
            messages.success(request, _("%(person)s has been disabled.") % {"person": person})
            return redirect(after_disable or back)
    context = {"person": person, "account": user, "form": form, "back": back}
    return render_form(request, "clinic/manage_account_toggle.html", context)


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def manage_doctor_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    doctor = _managed_doctor(request, pk)
    return _account_toggle(
        request,
        person=doctor,
        user=doctor.user,
        disable=lambda **kw: services.doctor_disable(doctor=doctor, **kw),
        enable=lambda **kw: services.doctor_enable(doctor=doctor, **kw),
        back=reverse("clinic:manage-doctor-list"),
    )


@role_required(Role.ADMIN)
def manage_patient_list(request: HttpRequest) -> HttpResponse:
    patients = selectors.patient_search(user=request.user, query=_query(request))
    return _search_page(request, "clinic/manage_patient_list.html", patients)


def _managed_patient(request: HttpRequest, pk: int) -> Patient:
    patients = Patient.objects.visible_to(request.user).select_related("user")
    return get_object_or_404(patients, pk=pk)


@role_required(Role.ADMIN)
def manage_patient_detail(request: HttpRequest, pk: int) -> HttpResponse:
    patient = _managed_patient(request, pk)
    record_access(patient, by=request.user)
    return render(request, "clinic/manage_patient_detail.html", {"patient": patient})


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def manage_patient_edit(request: HttpRequest, pk: int) -> HttpResponse:
    patient = _managed_patient(request, pk)
    initial = PatientProfileForm.initial_for(patient)
    form = PatientAdminForm(request.POST or None, initial=initial, user=patient.user)
    base_url = request.build_absolute_uri("/")
    if submit(request, form, services.patient_update, patient=patient, base_url=base_url):
        messages.success(request, _("%(patient)s saved.") % {"patient": patient})
        return redirect("clinic:manage-patient-detail", pk=patient.pk)
    return render_form(
        request, "clinic/manage_patient_form.html", {"form": form, "patient": patient}
    )


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def manage_patient_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    patient = _managed_patient(request, pk)
    return _account_toggle(
        request,
        person=patient,
        user=patient.user,
        disable=lambda **kw: user_disable(user=patient.user, **kw),
        enable=lambda **kw: user_enable(user=patient.user, **kw),
        back=reverse("clinic:manage-patient-detail", args=[patient.pk]),
        # Then: keep their future bookings, or cancel them and tell them.
        after_disable=reverse("scheduling:patient-future-bookings", args=[patient.pk]),
    )


# Clinical records

HISTORY_PAGE_SIZE = 10


def treatment_form_page(
    request: HttpRequest,
    *,
    save: Callable[..., Treatment],
    context: dict,
    treatment: Treatment | None = None,
    done: str,
    extra_form: type[forms.Form] | None = None,
) -> HttpResponse:
    """The visit record form for a completed appointment, a walk-in or an amendment.

    GET shows it; POST validates the record and its prescription lines (and
    ``extra_form``, whose fields go to ``save`` too) and hands them to ``save``
    (a service); nothing is saved unless all are valid.
    """
    data = request.POST if request.method == "POST" else None
    extra = extra_form(data, prefix="access") if extra_form else None
    if data is not None and "add_line" in data:
        form, formset = treatment_forms_with_new_line(data)
        if extra_form:
            extra = extra_form(initial={"reason": data.get("access-reason", "")}, prefix="access")
        return render(
            request,
            "clinic/treatment_form.html",
            {**context, "form": form, "formset": formset, "extra": extra},
        )
    form, formset = treatment_forms(data, treatment=treatment)
    valid = [form.is_valid(), formset.is_valid(), extra is None or extra.is_valid()]
    if data is not None and all(valid):
        try:
            saved = save(**treatment_data(form, formset), **(extra.cleaned_data if extra else {}))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("clinic:treatment-detail", pk=saved.pk)
    return render_form(
        request,
        "clinic/treatment_form.html",
        {**context, "form": form, "formset": formset, "extra": extra},
        form,
        formset,
        extra,
    )


@role_required(Role.DOCTOR)
def icd10_search(request: HttpRequest) -> HttpResponse:
    """The ICD-10 suggestions for what the doctor has typed (an HTMX fragment)."""
    query = request.GET.get("q") or request.GET.get("icd10_code") or ""
    return render(
        request, "clinic/treatment_form.html#icd10-options", {"codes": icd10.search(query)}
    )


@role_required(Role.DOCTOR)
def prescription_line_add(request: HttpRequest) -> HttpResponse:
    """One more empty prescription line, and the formset's new form count (HTMX)."""
    try:
        index = int(request.GET.get(f"{PRESCRIPTION_PREFIX}-TOTAL_FORMS", ""))
    except ValueError:
        index = 0
    index = max(0, min(index, PrescriptionFormSet.max_num - 1))
    formset = PrescriptionFormSet(prefix=PRESCRIPTION_PREFIX)
    line = formset.form(
        auto_id=formset.auto_id,
        prefix=formset.add_prefix(index),
        empty_permitted=True,
        use_required_attribute=False,
    )
    formset.add_fields(line, index)
    return render(
        request,
        "clinic/treatment_form.html#new-line",
        {"line": line, "total": index + 1, "prefix": PRESCRIPTION_PREFIX},
    )


def _doctor(request: HttpRequest) -> Doctor:
    if (doctor := selectors.own_doctor(request.user)) is None:
        raise Http404("No doctor record of yours is kept here.")
    return doctor


@role_required(Role.DOCTOR)
def walkin_start(request: HttpRequest) -> HttpResponse:
    """Find the patient of a visit without an appointment."""
    form = PatientSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    patients = selectors.walkin_patient_search(query=query)
    return render_page_or_fragment(
        request,
        "clinic/walkin.html",
        "results",
        {"form": form, "query": query, "patients": patients},
    )


@role_required(Role.DOCTOR)
def walkin_record(request: HttpRequest, patient_pk: int) -> HttpResponse:
    """Record a walk-in visit of any patient; the patient is the doctor's from then on.

    For a patient new to the doctor it is break-the-glass: the form asks why.
    """
    doctor = _doctor(request)
    patient = get_object_or_404(
        Patient.objects.select_related("user").filter(user__is_active=True), pk=patient_pk
    )
    known = selectors.doctor_knows_patient(doctor=doctor, patient=patient)
    return treatment_form_page(
        request,
        save=partial(services.walkin_record, patient=patient, doctor=doctor),
        context={"patient": patient, "title": _("Walk-in visit"), "doctor": doctor},
        done=_("Visit of %(patient)s recorded.") % {"patient": patient},
        extra_form=None if known else BreakGlassForm,
    )


def _treatment(request: HttpRequest, pk: int) -> Treatment:
    try:
        return selectors.treatment_for(user=request.user, pk=pk)
    except Treatment.DoesNotExist:
        raise Http404("No such visit record.") from None


# Reception passes the door and meets a 404: records are never theirs.
@role_required(Role.ADMIN, Role.RECEPTION, Role.DOCTOR, Role.PATIENT)
def treatment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    treatment = _treatment(request, pk)
    record_access(treatment.patient, by=request.user)
    return render(
        request,
        "clinic/treatment_detail.html",
        {
            "treatment": treatment,
            "patient": treatment.patient,
            "may_amend": treatment.amend_refusal(by=request.user) is None,
        },
    )


@role_required(Role.DOCTOR)
def treatment_amend(request: HttpRequest, pk: int) -> HttpResponse:
    treatment = _treatment(request, pk)
    refusal = treatment.amend_refusal(by=request.user)
    if refusal:
        messages.error(request, refusal)
        return redirect("clinic:treatment-detail", pk=treatment.pk)
    return treatment_form_page(
        request,
        save=partial(services.treatment_amend, treatment=treatment, by=request.user),
        context={
            "patient": treatment.patient,
            "doctor": treatment.doctor,
            "treatment": treatment,
            "title": _("Amend the visit of %(date)s")
            % {"date": date_format(treatment.visit_date, "j F Y")},
        },
        treatment=treatment,
        done=_("Visit record amended."),
    )


# Reception passes the door and meets a 404: records are never theirs.
@role_required(Role.ADMIN, Role.RECEPTION, Role.DOCTOR, Role.PATIENT)
def prescription_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The prescription as a printable page."""
    treatment = _treatment(request, pk)
    record_access(treatment.patient, by=request.user)
    age = treatment.patient.age_on(treatment.visit_date)
    return render(request, "clinic/prescription.html", {"treatment": treatment, "age": age})


def _history(request: HttpRequest, patient: Patient) -> HttpResponse:
    record_access(patient, by=request.user)
    visits = selectors.treatment_history(user=request.user, patient=patient)
    page = Paginator(visits, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "clinic/history.html", {"patient": patient, "page": page})


@role_required(Role.PATIENT)
def my_history(request: HttpRequest) -> HttpResponse:
    """The patient's own past visits."""
    if (patient := selectors.own_patient(request.user)) is None:
        raise Http404("No patient record of yours is kept here.")
    return _history(request, patient)


# Reception passes the door and meets a 404: records are never theirs.
@role_required(Role.ADMIN, Role.RECEPTION, Role.DOCTOR, Role.PATIENT)
def patient_history(request: HttpRequest, pk: int) -> HttpResponse:
    """A patient's full history, for the people who may see that patient."""
    patients = Patient.objects.records_visible_to(request.user).select_related("user")
    return _history(request, get_object_or_404(patients, pk=pk))
