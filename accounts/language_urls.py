"""The language switcher's address, /language/, named ``set_language`` (no
namespace, as Django's own view is named)."""

from django.urls import path

from accounts import views

urlpatterns = [path("", views.set_language, name="set_language")]
