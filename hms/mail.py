"""Sending e-mail from templates. Imports no app, so every layer may use it."""

from __future__ import annotations

import contextlib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string


def send_templated_email(*, to: list[str], template: str, context: dict) -> None:
    """Send ``<template>_subject.txt`` and ``<template>.txt`` (plus ``.html`` if present)."""
    context = {"clinic_name": settings.HMS_CLINIC_NAME, **context}
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    body = render_to_string(f"{template}.txt", context)
    message = EmailMultiAlternatives(subject=subject, body=body, to=to)
    with contextlib.suppress(TemplateDoesNotExist):
        message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    message.send()
