"""The front desk: the day of every doctor, registering patients, booking for
them (through the patients' own booking pages), check-in, walk-ins, the
doctor's "Call next" and the waiting-room screen. Thin: form -> service -> page.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import role_required
from accounts.roles import FRONT_DESK, Role
from clinic.forms import DeskPatientForm
from clinic.models import Doctor, Patient
from clinic.selectors import patient_duplicates, patient_search
from clinic.services import patient_register_at_desk
from hms.clinic_time import clinic_today
from hms.forms import add_service_errors
from scheduling import selectors, services
from scheduling.forms import DeskFilterForm, WalkInForm
from scheduling.models import QueueDisplay

SEARCH_LIMIT = 20


@role_required(*FRONT_DESK)
def desk(request: HttpRequest) -> HttpResponse:
    """Today's appointments of every doctor (or one department or doctor), what
    can be done with each now, and the patient search.
    """
    form = DeskFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    now = timezone.now()
    today = clinic_today(now)
    appointments = selectors.with_actions(
        selectors.desk_day(
            user=request.user,
            day=today,
            department=filters.get("department"),
            doctor=filters.get("doctor"),
        ),
        user=request.user,
        now=now,
    )
    q = request.GET.get("q", "").strip()[:100]
    patients = list(patient_search(user=request.user, query=q)[:SEARCH_LIMIT]) if q else []
    template = "scheduling/desk.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#day"
    return render(
        request,
        template,
        {
            "form": form,
            "appointments": appointments,
            "today": today,
            "q": q,
            "patients": patients,
            "now": now,
        },
    )


@role_required(*FRONT_DESK)
def desk_patient(request: HttpRequest, pk: int) -> HttpResponse:
    """One patient at the desk: contact details, upcoming visits, book or walk in."""
    patient = get_object_or_404(
        Patient.objects.visible_to(request.user).select_related("user"), pk=pk
    )
    now = timezone.now()
    upcoming = selectors.with_actions(
        selectors.patient_upcoming(patient=patient, now=now), user=request.user, now=now
    )
    form = WalkInForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                appointment = services.walk_in_check_in(
                    patient=patient,
                    doctor=form.cleaned_data["doctor"],
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("%(patient)s checked in for %(doctor)s: token %(token)s.")
                    % {
                        "patient": patient,
                        "doctor": appointment.doctor,
                        "token": appointment.token,
                    },
                )
                return redirect("scheduling:appointment-detail", pk=appointment.pk)
        status = 422
    return render(
        request,
        "scheduling/desk_patient.html",
        {"patient": patient, "upcoming": upcoming, "form": form, "now": now},
        status=status,
    )


@role_required(*FRONT_DESK)
def desk_register(request: HttpRequest) -> HttpResponse:
    """Register a patient at the desk; warn (and link) when they may exist already."""
    form = DeskPatientForm(request.POST or None)
    duplicates = []
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.service_data()
            duplicates = list(
                patient_duplicates(
                    phone=data["phone"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    date_of_birth=data["date_of_birth"],
                )
            )
            if duplicates and not form.cleaned_data["confirm_duplicate"]:
                status = 200
            else:
                try:
                    patient = patient_register_at_desk(
                        **data, base_url=request.build_absolute_uri("/")
                    )
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    if patient.user.email:
                        done = _("%(patient)s (%(number)s) is registered and e-mailed a link.")
                    else:
                        done = _(
                            "%(patient)s (%(number)s) is registered. Without an e-mail they "
                            "cannot sign in; the desk books for them."
                        )
                    messages.success(
                        request, done % {"patient": patient, "number": patient.patient_number}
                    )
                    return redirect("scheduling:desk-patient", pk=patient.pk)
    return render(
        request,
        "scheduling/desk_register.html",
        {"form": form, "duplicates": duplicates},
        status=status,
    )


def _back(request: HttpRequest, fallback: str, **kwargs) -> HttpResponse:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(target)
    return redirect(fallback, **kwargs)


@require_POST
@role_required(*FRONT_DESK)
def appointment_check_in(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = get_object_or_404(selectors.appointments_for(request.user), pk=pk)
    try:
        appointment = services.appointment_check_in(appointment=appointment, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(patient)s checked in: token %(token)s for %(doctor)s.")
            % {
                "patient": appointment.patient,
                "token": appointment.token,
                "doctor": appointment.doctor,
            },
        )
    return _back(request, "scheduling:appointment-detail", pk=pk)


@require_POST
@role_required(Role.DOCTOR)
def queue_call_next(request: HttpRequest) -> HttpResponse:
    """The doctor calls in the next checked-in patient (lowest token)."""
    doctor = get_object_or_404(Doctor, user=request.user)
    try:
        called = services.queue_call_next(doctor=doctor, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Token %(token)s called: %(patient)s.")
            % {"token": called.token, "patient": called.patient},
        )
    return redirect("scheduling:doctor-home")


def queue_display(request: HttpRequest, token: str) -> HttpResponse:
    """The waiting-room screen: no sign-in, a secret link; tokens, never names.

    An HTMX poll gets only the board (the same page's partial).
    """
    try:
        display = QueueDisplay.objects.live().get(token=token)
    except QueueDisplay.DoesNotExist:
        raise Http404("No such display.") from None
    now = timezone.now()
    template = "scheduling/queue_display.html"
    if request.htmx:
        template += "#board"
    response = render(
        request,
        template,
        {
            "display": display,
            "boards": selectors.queue_board(display=display, day=clinic_today(now)),
            "now": now,
            "refresh": settings.HMS_QUEUE_DISPLAY_REFRESH_SECONDS,
        },
    )
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
