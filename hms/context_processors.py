from django.conf import settings
from django.utils import timezone


def clinic(request):
    return {
        "clinic_name": settings.HMS_CLINIC_NAME,
        "clinic_phone": settings.HMS_CLINIC_PHONE,
        "clinic_address": settings.HMS_CLINIC_ADDRESS,
        "clinic_time_zone": time_zone_label(),
        "booking_days": settings.HMS_BOOKING_DAYS,
        "login_lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        # Each language named in itself, never translated (the language switcher).
        "languages": settings.LANGUAGES,
    }


def time_zone_label() -> str:
    """The clinic's zone as people read it: "IST (Asia/Kolkata)"."""
    abbreviation = timezone.localtime().tzname()
    name = settings.TIME_ZONE
    if abbreviation and abbreviation != name and not abbreviation.startswith(("+", "-")):
        return f"{abbreviation} ({name})"
    return name
