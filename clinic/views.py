from collections.abc import Callable
from functools import partial

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from accounts.decorators import role_required
from accounts.roles import Role
from clinic import icd10, selectors, services
from clinic.forms import (
    PRESCRIPTION_PREFIX,
    PatientRegistrationForm,
    PatientSearchForm,
    PrescriptionFormSet,
    treatment_data,
    treatment_forms,
)
from clinic.models import Doctor, Patient, Treatment
from hms.forms import add_service_errors


def patient_register(request):
    """Patients sign themselves up; admins and doctors are created by admins."""
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = PatientRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            patient = services.patient_register(
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                phone=data["phone"],
                password=data["password1"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            login(request, patient.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "Welcome! Your patient account is ready.")
            return redirect("dashboard")
    return render(request, "clinic/register.html", {"form": form})


# Clinical records

HISTORY_PAGE_SIZE = 10


def treatment_form_page(
    request: HttpRequest,
    *,
    save: Callable[..., Treatment],
    context: dict,
    treatment: Treatment | None = None,
    done: str,
) -> HttpResponse:
    """The visit record form for a completed appointment, a walk-in or an amendment.

    GET shows it; POST validates the record and its prescription lines and
    hands them to ``save`` (a service); nothing is saved unless all are valid.
    """
    data = request.POST if request.method == "POST" else None
    form, formset = treatment_forms(data, treatment=treatment)
    if data is not None and all([form.is_valid(), formset.is_valid()]):
        try:
            saved = save(**treatment_data(form, formset))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("clinic:treatment-detail", pk=saved.pk)
    status = 422 if data is not None else 200
    return render(
        request,
        "clinic/treatment_form.html",
        {**context, "form": form, "formset": formset},
        status=status,
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
    return get_object_or_404(Doctor.objects.select_related("user", "department"), user=request.user)


@role_required(Role.DOCTOR)
def walkin_start(request: HttpRequest) -> HttpResponse:
    """Find the patient of a visit without an appointment."""
    form = PatientSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    patients = selectors.patient_search(query=query)
    template = "clinic/walkin.html"
    if request.htmx:
        template += "#results"
    return render(request, template, {"form": form, "query": query, "patients": patients})


@role_required(Role.DOCTOR)
def walkin_record(request: HttpRequest, patient_pk: int) -> HttpResponse:
    """Record a walk-in visit of any patient; the patient is the doctor's from then on."""
    doctor = _doctor(request)
    patient = get_object_or_404(
        Patient.objects.select_related("user").filter(user__is_active=True), pk=patient_pk
    )
    return treatment_form_page(
        request,
        save=partial(services.treatment_record, patient=patient, doctor=doctor),
        context={"patient": patient, "title": "Walk-in visit", "doctor": doctor},
        done=f"Visit of {patient} recorded.",
    )


def _treatment(request: HttpRequest, pk: int) -> Treatment:
    try:
        return selectors.treatment_for(user=request.user, pk=pk)
    except Treatment.DoesNotExist:
        raise Http404("No such visit record.") from None


@role_required(Role.ADMIN, Role.DOCTOR, Role.PATIENT)
def treatment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    treatment = _treatment(request, pk)
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
            "title": f"Amend the visit of {treatment.visit_date:%d %B %Y}",
        },
        treatment=treatment,
        done="Visit record amended.",
    )


@role_required(Role.ADMIN, Role.DOCTOR, Role.PATIENT)
def prescription_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The prescription as a printable page."""
    return render(request, "clinic/prescription.html", {"treatment": _treatment(request, pk)})


def _history(request: HttpRequest, patient: Patient) -> HttpResponse:
    visits = selectors.treatment_history(user=request.user, patient=patient)
    page = Paginator(visits, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "clinic/history.html", {"patient": patient, "page": page})


@role_required(Role.PATIENT)
def my_history(request: HttpRequest) -> HttpResponse:
    """The patient's own past visits."""
    patient = get_object_or_404(Patient.objects.select_related("user"), user=request.user)
    return _history(request, patient)


@role_required(Role.ADMIN, Role.DOCTOR, Role.PATIENT)
def patient_history(request: HttpRequest, pk: int) -> HttpResponse:
    """A patient's full history, for the people who may see that patient."""
    patients = Patient.objects.visible_to(request.user).select_related("user")
    return _history(request, get_object_or_404(patients, pk=pk))
