"""Scheduling pages: the doctor's and the patient's homes, booking, changes,
availability and the admins' appointment list. Thin: form -> service -> page.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import role_required
from accounts.forms import EmailPreferencesForm
from accounts.roles import FRONT_DESK, Role
from accounts.services import user_set_email_preferences
from clinic.models import Department, Doctor, Patient, reads_clinical_records
from clinic.selectors import (
    bookable_doctor,
    doctor_search,
    own_doctor,
    own_patient,
)
from clinic.views import treatment_form_page
from hms.clinic_time import clinic_date, clinic_today
from hms.forms import add_service_errors, crispy_fields, form_status, submit
from hms.htmx import render_page_or_fragment
from hms.paginator import CappedPaginator, CountedPagePaginator
from scheduling import display, feeds, selectors, services, waitlist
from scheduling.calendar import feed_ics
from scheduling.forms import (
    AppointmentFilterForm,
    BookingForm,
    CancelForm,
    ExceptionForm,
    FutureBookingsForm,
    RescheduleForm,
    WaitlistForm,
    WeeklyBlockForm,
)
from scheduling.models import (
    Appointment,
    AvailabilityException,
    CalendarFeed,
    WeeklyAvailability,
)

PAGE_SIZE = 25
LIST_COUNT_CAP = 1000


def _own(record):
    """The person's own patient or doctor record, or a 404 if they have none."""
    if record is None:
        raise Http404("No record of yours is kept here.")
    return record


# Homes


@role_required(Role.DOCTOR)
def doctor_home(request: HttpRequest) -> HttpResponse:
    doctor = _own(own_doctor(request.user))
    today = clinic_today()
    week_start = today - timedelta(days=today.weekday())
    now = timezone.now()
    # One query for the week, today's table and the waiting room.
    week = selectors.doctor_week(doctor=doctor, today=today)
    todays = display.day_rows(
        selectors.with_actions(week.today, user=request.user, now=now), user=request.user
    )
    waiting = selectors.with_actions(week.waiting_room, user=request.user, now=now)
    for appointment in waiting:  # minutes, not timesince: Django has no Hindi for its words
        appointment.waiting_minutes = int((now - appointment.arrived_at).total_seconds() // 60)
    return render(
        request,
        "scheduling/doctor_home.html",
        {
            "doctor": doctor,
            "figures": selectors.doctor_figures(doctor=doctor, now=now, week=week.rows),
            "today": today,
            "todays": todays,
            "week_days": display.week_days(week.rows),
            "week_start": week_start,
            "patients": display.patient_rows(selectors.doctor_patients(doctor=doctor, limit=20)),
            "now": now,
            "next_path": request.get_full_path(),
            "queue": waiting,
            "being_seen": max(
                (a for a in waiting if a.called_at), key=lambda a: a.called_at, default=None
            ),
            "waiting": [a for a in waiting if a.called_at is None],
        },
    )


@role_required(Role.PATIENT)
def patient_home(request: HttpRequest) -> HttpResponse:
    patient = _own(own_patient(request.user))
    now = timezone.now()
    # Five queries: the person, upcoming visits with the waitlist offers, a page
    # of past visits with their count, the follow-up, the waitlist entries.
    # The visits' rows are printed as the view computes them (display).
    upcoming, offers = selectors.patient_upcoming_and_offers(patient=patient, now=now)
    upcoming = selectors.with_actions(upcoming, user=request.user, now=now)
    past = CountedPagePaginator(selectors.patient_past(patient=patient, now=now), 10).get_page(
        request.GET.get("page")
    )
    past.object_list = display.patient_past(past.object_list)
    follow_up = selectors.follow_up_to_book(patient=patient, now=now, upcoming=upcoming)
    book_url = reverse("scheduling:book-start")
    return render(
        request,
        "scheduling/patient_home.html",
        {
            "patient": patient,
            "upcoming": display.patient_upcoming(upcoming),
            "past": past,
            "book_url": book_url,
            "departments": [
                (department["name"], f"{book_url}?{urlencode({'department': department['slug']})}")
                for department in selectors.bookable_departments()
            ],
            "follow_up": follow_up,
            "offers": offers,
            "waiting": selectors.patient_waitlist(patient=patient),
        },
    )


# Booking


def _booking_patient(request: HttpRequest) -> Patient | None:
    """Whom the booking is for: the signed-in patient, or, at the front desk,
    the patient named by ``?patient=`` (None when not named yet).
    """
    if request.user.role == Role.PATIENT:
        return _own(own_patient(request.user))
    pk = request.GET.get("patient", "")
    if not pk.isdigit():
        return None
    patients = Patient.objects.visible_to(request.user).select_related("user")
    return get_object_or_404(patients, pk=int(pk))


def _acting_for(request: HttpRequest, patient: Patient) -> dict:
    """The template context of a page the front desk uses on a patient's behalf."""
    if request.user.role == Role.PATIENT:
        return {"for_patient": None, "keep": ""}
    return {"for_patient": patient, "keep": f"patient={patient.pk}&"}


def _desk_needs_patient(request: HttpRequest) -> HttpResponse:
    messages.info(request, _("Find the patient first, then book for them."))
    return redirect("scheduling:desk")


@role_required(Role.PATIENT, *FRONT_DESK)
def book_start(request: HttpRequest) -> HttpResponse:
    """Step one: a department, then one of its doctors (for a patient, or the
    front desk booking on a patient's behalf).
    """
    patient = _booking_patient(request)
    if patient is None:
        return _desk_needs_patient(request)
    departments = selectors.bookable_departments()
    department = None
    doctors = []
    if slug := request.GET.get("department"):
        # An old link to a department with no bookable doctor says so, not 404.
        department = get_object_or_404(Department.objects.visible_to(request.user), slug=slug)
        doctors = list(selectors.bookable_doctors().filter(department=department))
    return render(
        request,
        "scheduling/book_start.html",
        {
            "departments": departments,
            "department": department,
            "doctors": doctors,
            "next_free": selectors.next_free_slot(doctors=doctors) if doctors else None,
            **_acting_for(request, patient),
        },
    )


@role_required(Role.PATIENT)
def next_available(request: HttpRequest) -> HttpResponse:
    """The earliest free slot of a department's doctors (``?department=``),
    one click from its confirm panel. The department page loads it with htmx;
    without JavaScript it is this small page.
    """
    department = get_object_or_404(
        Department.objects.visible_to(request.user), slug=request.GET.get("department", "")
    )
    doctors = selectors.bookable_doctors().filter(department=department)
    return render_page_or_fragment(
        request,
        "scheduling/next_available.html",
        "next-free",
        {"department": department, "next_free": selectors.next_free_slot(doctors=doctors)},
    )


def _requested_day(request: HttpRequest) -> date | None:
    try:
        return date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return None


def _chosen_day(request: HttpRequest, days: dict[date, list]) -> date | None:
    day = _requested_day(request)
    if day in days:
        return day
    # The first day with a free slot, else the first day of the window.
    return next((d for d, slots in days.items() if slots), next(iter(days), None))


def _slot_picker(
    request: HttpRequest,
    *,
    doctor: Doctor,
    form,
    action_url: str,
    appointment: Appointment | None = None,
    status: int = 200,
    extra: dict | None = None,
    waitlist_form: WaitlistForm | None = None,
) -> HttpResponse:
    """The day tabs, the day's free slots and the confirm panel; one template,
    with a partial per part, for booking and for rescheduling.
    """
    days = selectors.slot_grid(
        doctor=doctor, ignore_appointment_id=appointment.pk if appointment else None
    )
    day = _chosen_day(request, days)
    requested = _requested_day(request)
    chosen = None
    start = request.POST.get("start") or request.GET.get("start")
    if start:
        chosen = next(
            (
                s
                for slots in days.values()
                for s in slots
                if s.key == start or s.start.isoformat() == start
            ),
            None,
        )
        if chosen is not None:
            day = clinic_date(chosen.start)
            form.initial["start"] = chosen.key
        elif request.method == "GET":
            messages.warning(request, services.SLOT_GONE)
    # The day tabs' labels and links, worked out here once, not per tab in the template.
    tabs = [
        {
            "iso": d.isoformat(),
            "label": date_format(d, "D j M"),
            "count": len(day_slots),
            "current": d == day,
        }
        for d, day_slots in days.items()
    ]
    context = {
        "doctor": doctor,
        "tabs": tabs,
        "day": day,
        "day_iso": day.isoformat() if day else "",
        "slots": days.get(day, []),
        "chosen": chosen,
        "form": form,
        "action_url": action_url,
        "appointment": appointment,
        # A follow-up suggested beyond the booking window links here anyway;
        # an old link or a typed URL may ask for a day gone by.
        "not_yet_open": requested
        if requested and requested > max(days, default=requested)
        else None,
        "past_day": requested if requested and requested < min(days, default=requested) else None,
        "no_free_slots": not any(days.values()),
        "booking_days": settings.HMS_BOOKING_DAYS,
        "keep": "",
        **(extra or {}),
    }
    if appointment is None:
        # Booking (not moving): none of these times suits? Wait for one.
        context["waitlist_form"] = waitlist_form = waitlist_form or WaitlistForm()
        context["waitlist_fields"] = crispy_fields(waitlist_form)
    # Choosing a slot swaps the slots too, so the chosen one shows as pressed.
    partial = "slots" if request.method == "GET" else None
    return render_page_or_fragment(
        request, "scheduling/slot_picker.html", partial, context, status=status
    )


@role_required(Role.PATIENT, *FRONT_DESK)
def appointment_book(request: HttpRequest, doctor_pk: int) -> HttpResponse:
    """Step two: a day, a free slot, the reason, confirm. The same page and
    service whether the patient books or the front desk books for them.
    """
    patient = _booking_patient(request)
    if patient is None:
        return _desk_needs_patient(request)
    if request.method == "POST":
        doctor = get_object_or_404(selectors.bookable_doctors(), pk=doctor_pk)
    elif (doctor := bookable_doctor(pk=doctor_pk)) is None:
        raise Http404
    acting = _acting_for(request, patient)
    action_url = reverse("scheduling:appointment-book", args=[doctor.pk])
    if acting["for_patient"]:
        action_url += f"?patient={patient.pk}"
    form = BookingForm(request.POST if request.method == "POST" else None)
    if appointment := submit(
        request, form, services.appointment_book, patient=patient, doctor=doctor, by=request.user
    ):
        local = timezone.localtime(appointment.start)
        when = {"day": date_format(local, "l j F"), "time": date_format(local, "H:i")}
        if acting["for_patient"]:
            messages.success(
                request,
                _("Booked %(patient)s with %(doctor)s on %(day)s at %(time)s.")
                % {"patient": patient, "doctor": doctor, **when},
            )
            return redirect("scheduling:appointment-detail", pk=appointment.pk)
        messages.success(
            request,
            _("Booked: %(doctor)s on %(day)s at %(time)s. See you then!")
            % {"doctor": doctor, **when},
        )
        return redirect("scheduling:patient-home")
    return _slot_picker(
        request,
        doctor=doctor,
        form=form,
        action_url=action_url,
        status=form_status(form),
        extra=acting,
    )


@require_POST
@role_required(Role.PATIENT, *FRONT_DESK)
def waitlist_join(request: HttpRequest, doctor_pk: int) -> HttpResponse:
    """Join the doctor's waitlist: a freed slot in the range is offered to them
    (the patient themself, or the front desk for the patient of ``?patient=``).
    """
    patient = _booking_patient(request)
    if patient is None:
        return _desk_needs_patient(request)
    doctor = get_object_or_404(selectors.bookable_doctors(), pk=doctor_pk)
    acting = _acting_for(request, patient)
    form = WaitlistForm(request.POST)
    if form.is_valid():
        try:
            waitlist.waitlist_join(
                patient=patient, doctor=doctor, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if acting["for_patient"]:
                messages.success(
                    request,
                    _("%(patient)s is on the waitlist of %(doctor)s.")
                    % {"patient": patient, "doctor": doctor},
                )
                return redirect("scheduling:desk")
            messages.success(
                request,
                _("You are on the waitlist of %(doctor)s. If a slot opens up, it is held for you.")
                % {"doctor": doctor},
            )
            return redirect("scheduling:patient-home")
    action_url = reverse("scheduling:appointment-book", args=[doctor.pk])
    if acting["for_patient"]:
        action_url += f"?patient={patient.pk}"
    return _slot_picker(
        request,
        doctor=doctor,
        form=BookingForm(),
        action_url=action_url,
        status=422,
        extra=acting,
        waitlist_form=form,
    )


@role_required(Role.PATIENT, Role.ADMIN)
def waitlist_offer(request: HttpRequest, pk: int) -> HttpResponse:
    """A slot held for a waitlisted patient: one button takes it."""
    hold = get_object_or_404(
        selectors.appointments_for(request.user).filter(status=Appointment.Status.HELD), pk=pk
    )
    error = None
    if request.method == "POST":
        try:
            waitlist.waitlist_accept(appointment=hold, by=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("Booked. See you then!"))
            return redirect("scheduling:appointment-detail", pk=hold.pk)
    return render(
        request,
        "scheduling/waitlist_offer.html",
        {"hold": hold, "error": error},
        status=422 if error else 200,
    )


def _appointment_for(request: HttpRequest, pk: int) -> Appointment:
    return get_object_or_404(selectors.appointments_for(request.user), pk=pk)


@role_required(Role.PATIENT, *FRONT_DESK)
def appointment_reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = _appointment_for(request, pk)
    refusal = appointment.reschedule_refusal(by=request.user)
    if refusal:
        messages.error(request, refusal)
        return redirect("scheduling:appointment-detail", pk=appointment.pk)
    form = RescheduleForm(request.POST if request.method == "POST" else None)
    if submit(
        request, form, services.appointment_reschedule, appointment=appointment, by=request.user
    ):
        appointment.refresh_from_db()
        local = timezone.localtime(appointment.start)
        messages.success(
            request,
            _("Moved to %(day)s at %(time)s.")
            % {"day": date_format(local, "l j F"), "time": date_format(local, "H:i")},
        )
        return redirect("scheduling:appointment-detail", pk=appointment.pk)
    return _slot_picker(
        request,
        doctor=appointment.doctor,
        form=form,
        action_url=reverse("scheduling:appointment-reschedule", args=[appointment.pk]),
        appointment=appointment,
        status=form_status(form),
    )


# One appointment


@role_required(Role.ADMIN, Role.RECEPTION, Role.DOCTOR, Role.PATIENT)
def appointment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = _appointment_for(request, pk)
    return render(
        request,
        "scheduling/appointment_detail.html",
        {
            "appointment": appointment,
            "actions": appointment.appointment_actions(request.user, timezone.now()),
            "reads_records": reads_clinical_records(request.user),
        },
    )


@role_required(Role.ADMIN, Role.RECEPTION, Role.DOCTOR, Role.PATIENT)
def appointment_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = _appointment_for(request, pk)
    refusal = appointment.cancel_refusal(by=request.user)
    if refusal:
        messages.error(request, refusal)
        return redirect("scheduling:appointment-detail", pk=appointment.pk)
    form = CancelForm(
        request.POST if request.method == "POST" else None,
        reason_required=request.user.role != Role.PATIENT,
    )
    if submit(request, form, services.appointment_cancel, appointment=appointment, by=request.user):
        messages.success(request, _("The appointment is cancelled and its slot is free again."))
        return redirect("dashboard")
    return render(
        request,
        "scheduling/appointment_cancel.html",
        {"appointment": appointment, "form": form},
        status=form_status(form),
    )


def _attendance(request: HttpRequest, pk: int, service, done: str) -> HttpResponse:
    appointment = _appointment_for(request, pk)
    try:
        service(appointment=appointment, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done % {"patient": appointment.patient})
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        # A path, never a URL name: redirect("0") would try to reverse it (a 500).
        return HttpResponseRedirect(target)
    return redirect("scheduling:appointment-detail", pk=pk)


@require_POST
@role_required(Role.DOCTOR, Role.ADMIN)
def appointment_complete(request: HttpRequest, pk: int) -> HttpResponse:
    return _attendance(
        request, pk, services.appointment_complete, _("Visit of %(patient)s completed.")
    )


@role_required(Role.DOCTOR)
def appointment_complete_with_treatment(request: HttpRequest, pk: int) -> HttpResponse:
    """The doctor completes the visit with its record: diagnosis, notes, prescription
    and the suggested next visit, on one form.
    """
    appointment = _appointment_for(request, pk)
    refusal = appointment.completion_refusal(by=request.user)
    if refusal:
        messages.error(request, refusal)
        return redirect("scheduling:appointment-detail", pk=appointment.pk)

    def save(**data):
        return services.appointment_complete_with_treatment(
            appointment=appointment, by=request.user, **data
        ).treatment

    return treatment_form_page(
        request,
        save=save,
        context={
            "appointment": appointment,
            "patient": appointment.patient,
            "doctor": appointment.doctor,
            "title": _("Complete the visit of %(patient)s") % {"patient": appointment.patient},
        },
        done=_("Visit of %(patient)s completed and recorded.") % {"patient": appointment.patient},
    )


@require_POST
@role_required(Role.DOCTOR, Role.ADMIN)
def appointment_no_show(request: HttpRequest, pk: int) -> HttpResponse:
    return _attendance(
        request, pk, services.appointment_mark_no_show, _("%(patient)s marked as no-show.")
    )


# The admins' list


@role_required(Role.ADMIN)
def appointment_list(request: HttpRequest) -> HttpResponse:
    form = AppointmentFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    appointments = selectors.appointment_search(
        user=request.user,
        query=filters.get("q") or "",
        doctor=filters.get("doctor"),
        department=filters.get("department"),
        status=filters.get("status") or "",
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    # Counting stops at LIST_COUNT_CAP: 40 pages to browse, then filters narrow it.
    page = CappedPaginator(appointments, PAGE_SIZE, cap=LIST_COUNT_CAP).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render_page_or_fragment(
        request,
        "scheduling/appointment_list.html",
        "results",
        {"form": form, "page": page, "query": query.urlencode()},
    )


# Availability


def _doctor_for_availability(request: HttpRequest, doctor_pk: int | None) -> Doctor:
    """/availability/ is the signed-in doctor's own; /availability/<pk>/ another
    doctor's, for those who may change other doctors' hours.
    """
    doctors = Doctor.objects.hours_editable_by(request.user).select_related("user", "department")
    if doctor_pk is None:
        return get_object_or_404(doctors, user=request.user)
    return get_object_or_404(doctors.exclude(user=request.user), pk=doctor_pk)


def _availability_url(request: HttpRequest, doctor: Doctor) -> str:
    if doctor.user_id == request.user.pk:
        return reverse("scheduling:availability")
    return reverse("scheduling:availability-doctor", args=[doctor.pk])


@role_required(Role.DOCTOR, Role.ADMIN)
def availability(request: HttpRequest, doctor_pk: int | None = None) -> HttpResponse:
    """The doctor's usual week and the dated exceptions of the coming days."""
    doctor = _doctor_for_availability(request, doctor_pk)
    here = _availability_url(request, doctor)
    block_form = WeeklyBlockForm(prefix="block")
    exception_form = ExceptionForm(prefix="exception")
    affected = []  # the booked appointments a new exception would leave out
    if request.method == "POST":
        try:
            if "block-weekday" in request.POST:
                block_form = WeeklyBlockForm(request.POST, prefix="block")
                if block_form.is_valid():
                    services.weekly_block_add(doctor=doctor, **block_form.cleaned_data)
                    messages.success(request, _("Weekly hours added."))
                    return redirect(here)
            else:
                exception_form = ExceptionForm(request.POST, prefix="exception")
                if exception_form.is_valid():
                    data = dict(exception_form.cleaned_data)
                    decision, reason = data.pop("affected"), data.pop("cancel_reason")
                    when = {k: data[k] for k in ("date", "kind", "start_time", "end_time")}
                    affected = services.exception_affected(doctor=doctor, **when)
                    if affected and not decision:
                        exception_form = ExceptionForm(
                            request.POST, prefix="exception", ask_about_affected=True
                        )
                        exception_form.is_valid()
                        exception_form.add_error(
                            "affected", _("Choose what happens to these appointments.")
                        )
                    else:
                        cancel = bool(affected) and decision == ExceptionForm.CANCEL
                        exception = services.exception_add(
                            doctor=doctor,
                            **data,
                            cancel_affected=cancel,
                            reason=reason,
                            by=request.user,
                        )
                        messages.success(
                            request,
                            _("%(kind)s added.") % {"kind": exception.get_kind_display()},
                        )
                        if cancel:
                            messages.success(
                                request,
                                ngettext(
                                    "%(count)d appointment cancelled; the patient is told.",
                                    "%(count)d appointments cancelled; each patient is told.",
                                    len(affected),
                                )
                                % {"count": len(affected)},
                            )
                        elif affected:
                            messages.warning(
                                request,
                                ngettext(
                                    "%(count)d booked appointment on %(day)s is kept: "
                                    "see or cancel it from the day view.",
                                    "%(count)d booked appointments on %(day)s are kept: "
                                    "see or cancel each from the day view.",
                                    len(affected),
                                )
                                % {
                                    "count": len(affected),
                                    "day": date_format(exception.date, "j F"),
                                },
                            )
                        return redirect(here)
        except ValidationError as exc:
            add_service_errors(
                block_form if "block-weekday" in request.POST else exception_form, exc
            )
    today = clinic_today()
    blocks = WeeklyAvailability.objects.visible_to(request.user).filter(doctor=doctor)
    week = [
        (label, [b for b in blocks if b.weekday == value])
        for value, label in WeeklyAvailability.Weekday.choices
    ]
    exceptions = (
        AvailabilityException.objects.visible_to(request.user)
        .filter(doctor=doctor, date__gte=today)
        .order_by("date", "start_time")
    )
    return render(
        request,
        "scheduling/availability.html",
        {
            "doctor": doctor,
            "week": week,
            "exceptions": exceptions,
            "block_form": block_form,
            "exception_form": exception_form,
            "affected": affected if "affected" in exception_form.errors else [],
            "here": here,
        },
        status=form_status(block_form, exception_form),
    )


@require_POST
@role_required(Role.DOCTOR, Role.ADMIN)
def availability_block_delete(request: HttpRequest, pk: int) -> HttpResponse:
    blocks = WeeklyAvailability.objects.editable_by(request.user).select_related("doctor")
    block = get_object_or_404(blocks, pk=pk)
    services.weekly_block_remove(block=block)
    messages.success(request, _("Removed %(block)s.") % {"block": block})
    return redirect(_availability_url(request, block.doctor))


@require_POST
@role_required(Role.DOCTOR, Role.ADMIN)
def availability_exception_delete(request: HttpRequest, pk: int) -> HttpResponse:
    exceptions = AvailabilityException.objects.editable_by(request.user).select_related("doctor")
    exception = get_object_or_404(exceptions, pk=pk)
    services.exception_remove(exception=exception)
    messages.success(request, _("Removed %(exception)s.") % {"exception": exception})
    return redirect(_availability_url(request, exception.doctor))


@role_required(Role.ADMIN)
def availability_doctors(request: HttpRequest) -> HttpResponse:
    """Admins pick the doctor whose hours to edit."""
    q = request.GET.get("q", "").strip()
    doctors = doctor_search(user=request.user, query=q).order_by(
        "department__name", "user__last_name", "id"
    )
    return render(request, "scheduling/availability_doctors.html", {"doctors": doctors, "q": q})


# Notifications and the calendar feed


@role_required(Role.DOCTOR, Role.PATIENT)
def notification_settings(request: HttpRequest) -> HttpResponse:
    """The optional e-mails, and the private calendar feed (issue, re-issue, revoke)."""
    user = request.user
    form = EmailPreferencesForm(
        initial={
            "email_reminders": user.email_reminders,
            "email_waitlist_offers": user.email_waitlist_offers,
        }
    )
    feed_url = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "preferences":
            form = EmailPreferencesForm(request.POST)
            if form.is_valid():
                user_set_email_preferences(user=user, **form.cleaned_data)
                messages.success(request, _("Your e-mail choices are saved."))
                return redirect("scheduling:notification-settings")
        elif action == "feed-issue":
            token = feeds.feed_issue(user=user)
            feed_url = request.build_absolute_uri(
                reverse("scheduling:calendar-feed", args=[user.pk, token])
            )
        elif action == "feed-revoke":
            feeds.feed_revoke(user=user)
            messages.success(request, _("Your calendar feed is turned off; its link is dead."))
            return redirect("scheduling:notification-settings")
    return render(
        request,
        "scheduling/notification_settings.html",
        {
            "form": form,
            "feed_url": feed_url,
            "has_feed": CalendarFeed.objects.filter(user=user).exists(),
        },
    )


def calendar_feed(request: HttpRequest, user_id: int, token: str) -> HttpResponse:
    """The feed itself, for calendar programs (no sign-in: the token is the key)."""
    owner = feeds.feed_owner(user_id=user_id, token=token)
    if owner is None:
        raise Http404("No such calendar.")
    body = feed_ics(
        feeds.feed_appointments(user=owner),
        name=f"{settings.HMS_CLINIC_NAME}: {owner.get_full_name()}",
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def patient_future_bookings(request: HttpRequest, patient_pk: int) -> HttpResponse:
    """After disabling a patient: keep their future bookings, or cancel them and tell them."""
    patient = get_object_or_404(
        Patient.objects.visible_to(request.user).select_related("user"), pk=patient_pk
    )
    back = reverse("clinic:manage-patient-detail", args=[patient.pk])
    upcoming = list(selectors.patient_upcoming(patient=patient))
    if not upcoming:
        return redirect(back)
    form = FutureBookingsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["decision"] == FutureBookingsForm.KEEP:
            messages.info(request, _("Their bookings are kept."))
            return redirect(back)
        try:
            count = services.patient_bookings_cancel(
                patient=patient, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d booking cancelled; the patient is told.",
                    "%(count)d bookings cancelled; the patient is told.",
                    count,
                )
                % {"count": count},
            )
            return redirect(back)
    return render(
        request,
        "scheduling/patient_future_bookings.html",
        {"patient": patient, "upcoming": upcoming, "form": form, "back": back},
        status=422 if form.errors else 200,
    )
