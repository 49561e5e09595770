from django.urls import path

from api import fhir
from api.v1 import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("fhir/R4/", fhir.urls()),
]
