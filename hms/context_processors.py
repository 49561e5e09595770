from django.conf import settings


def clinic(request):
    return {"clinic_name": settings.HMS_CLINIC_NAME}
