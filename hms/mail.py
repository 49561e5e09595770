"""Rendering and sending e-mail. Imports no app, so every layer may use it."""

from __future__ import annotations

import contextlib
from email.mime.text import MIMEText

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string


def render_email(*, template: str, context: dict) -> tuple[str, str, str]:
    """``<template>_subject.txt``, ``<template>.txt`` and ``<template>.html`` (or "")."""
    context = {"clinic_name": settings.HMS_CLINIC_NAME, **context}
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    body = render_to_string(f"{template}.txt", context)
    html = ""
    with contextlib.suppress(TemplateDoesNotExist):
        html = render_to_string(f"{template}.html", context)
    return subject, body, html


def send_email(
    *,
    to: list[str],
    subject: str,
    text: str,
    html: str = "",
    attachment_name: str = "",
    attachment_type: str = "",
    attachment: str = "",
) -> None:
    """Send one message; a text attachment's type may carry parameters
    (``text/calendar; method=REQUEST``, which calendar programs read).
    """
    message = EmailMultiAlternatives(subject=subject, body=text, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    if attachment:
        kind, *params = (part.strip() for part in (attachment_type or "text/plain").split(";"))
        part = MIMEText(attachment, kind.split("/", 1)[1], "utf-8")
        for param in params:
            name, _, value = param.partition("=")
            if name.lower() != "charset":
                part.set_param(name, value)
        part.add_header("Content-Disposition", "attachment", filename=attachment_name)
        message.attach(part)
    message.send()


def send_templated_email(*, to: list[str], template: str, context: dict) -> None:
    """Render ``template`` (see ``render_email``) and send it at once."""
    subject, text, html = render_email(template=template, context=context)
    send_email(to=to, subject=subject, text=text, html=html)
