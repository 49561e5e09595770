from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import role_required
from accounts.roles import Role
from hms.htmx import render_page_or_fragment
from reports import services
from reports.models import ExportJob, MonthlyReport
from reports.selectors import admin_dashboard
from scheduling.forms import AppointmentFilterForm


@role_required(Role.ADMIN)
def admin_home(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/admin_home.html", admin_dashboard())


# CSV exports


@require_POST
@role_required(Role.ADMIN, Role.PATIENT)
def export_create(request: HttpRequest) -> HttpResponse:
    """Start an export: admins of the appointments list (with its filters), patients
    of their own treatment history.
    """
    kind = request.POST.get("kind", "")
    filters: dict = {}
    if kind == ExportJob.Kind.APPOINTMENTS:
        form = AppointmentFilterForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Please correct the filters before exporting."))
            return redirect("scheduling:appointment-list")
        filters = form.export_filters()
    elif kind == ExportJob.Kind.TREATMENTS and request.user.role == Role.ADMIN:
        patient = request.POST.get("patient", "")
        filters = {"patient": int(patient)} if patient.isdigit() else {}
    try:
        job = services.export_request(user=request.user, kind=kind, filters=filters)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("reports:export-list")
    messages.info(request, _("Your export has started. You can leave this page; we e-mail you."))
    return redirect("reports:export-detail", pk=job.pk)


@role_required(Role.ADMIN, Role.PATIENT)
def export_list(request: HttpRequest) -> HttpResponse:
    jobs = ExportJob.objects.visible_to(request.user).select_related("requested_by")
    page = Paginator(jobs, 20).get_page(request.GET.get("page"))
    return render(request, "reports/export_list.html", {"page": page})


@role_required(Role.ADMIN, Role.PATIENT)
def export_detail(request: HttpRequest, pk) -> HttpResponse:
    """The job's progress; while it runs, the progress part polls itself with HTMX."""
    job = get_object_or_404(ExportJob.objects.visible_to(request.user), pk=pk)
    return render_page_or_fragment(request, "reports/export_detail.html", "progress", {"job": job})


@role_required(Role.ADMIN, Role.PATIENT)
def export_download(request: HttpRequest, pk) -> FileResponse:
    job = get_object_or_404(
        ExportJob.objects.visible_to(request.user), pk=pk, status=ExportJob.Status.DONE
    )
    if not job.file or not default_storage.exists(job.file.name):
        raise Http404("This export's file is gone.")
    return FileResponse(
        default_storage.open(job.file.name, "rb"),
        as_attachment=True,
        filename=job.filename,
        content_type="text/csv",
    )


@require_POST
@role_required(Role.ADMIN, Role.PATIENT)
def export_retry(request: HttpRequest, pk) -> HttpResponse:
    job = get_object_or_404(ExportJob.objects.visible_to(request.user), pk=pk)
    try:
        services.export_retry(job=job)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.info(request, _("The export is running again."))
    return redirect("reports:export-detail", pk=job.pk)


# Monthly doctor reports


@role_required(Role.ADMIN, Role.DOCTOR)
def monthly_report_list(request: HttpRequest) -> HttpResponse:
    reports = MonthlyReport.objects.visible_to(request.user).select_related(
        "doctor__user", "doctor__department"
    )
    page = Paginator(reports, 24).get_page(request.GET.get("page"))
    return render(request, "reports/monthly_report_list.html", {"page": page})


@role_required(Role.ADMIN, Role.DOCTOR)
def monthly_report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(
        MonthlyReport.objects.visible_to(request.user).select_related("doctor__user"), pk=pk
    )
    return render(request, "reports/monthly_report_detail.html", {"report": report})
