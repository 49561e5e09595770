from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from clinic import services
from clinic.forms import PatientRegistrationForm


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
