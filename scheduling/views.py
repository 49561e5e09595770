from django.shortcuts import get_object_or_404, render

from accounts.decorators import role_required
from accounts.roles import Role
from clinic.models import Doctor, Patient


@role_required(Role.DOCTOR)
def doctor_home(request):
    doctor = get_object_or_404(Doctor.objects.select_related("department"), user=request.user)
    return render(request, "scheduling/doctor_home.html", {"doctor": doctor})


@role_required(Role.PATIENT)
def patient_home(request):
    patient = get_object_or_404(Patient, user=request.user)
    return render(request, "scheduling/patient_home.html", {"patient": patient})
