from django.shortcuts import render

from accounts.decorators import role_required
from accounts.roles import Role
from reports.selectors import hospital_counts


@role_required(Role.ADMIN)
def admin_home(request):
    return render(request, "reports/admin_home.html", {"counts": hospital_counts()})
