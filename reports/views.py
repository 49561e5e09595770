from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.decorators import role_required
from accounts.roles import Role
from reports.selectors import admin_dashboard


@role_required(Role.ADMIN)
def admin_home(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/admin_home.html", admin_dashboard())
