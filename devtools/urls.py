"""The benchmark's baseline views; hms/urls.py includes this only when
``HMS_BENCH_VIEWS`` is true.
"""

from django.urls import path

from devtools import views

app_name = "devtools"

urlpatterns = [
    path("ping/", views.ping, name="bench-ping"),
    path("insert/", views.ping_insert, name="bench-insert"),
]
