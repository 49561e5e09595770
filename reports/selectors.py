"""Reads for the admin home."""

from accounts.models import User
from clinic.models import Department, Doctor, Patient


def hospital_counts() -> dict[str, int]:
    return {
        "departments": Department.objects.filter(is_active=True).count(),
        "doctors": Doctor.objects.filter(user__is_active=True).count(),
        "patients": Patient.objects.filter(user__is_active=True).count(),
        "disabled_accounts": User.objects.filter(is_active=False).count(),
    }
