"""Appointments as iCalendar (RFC 5545): the .ics of a notice.

One event per appointment with a stable UID, so a calendar program updates
the entry it imported instead of adding another; SEQUENCE is the
appointment's change count, so the newest version wins. Times are in UTC
(the "Z" form), which every calendar program shows in its own zone. Events
carry the doctor, department and clinic only: never a reason, diagnosis or
any other clinical detail. The title is in the active language: a notice
builds its .ics inside its recipient's language (see ``scheduling.notices``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from notifications.services import site_url

ICS_TYPE = "text/calendar"


def appointment_uid(appointment) -> str:
    host = urlsplit(settings.HMS_SITE_URL).hostname or "hms.local"
    return f"appointment-{appointment.pk}@{host}"


def _event(appointment, *, cancelled: bool) -> Event:
    event = Event()
    event.add("uid", appointment_uid(appointment))
    event.add("sequence", appointment.sequence)
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("dtstart", appointment.start.astimezone(UTC))
    event.add("dtend", appointment.end.astimezone(UTC))
    event.add("summary", _("Appointment with %(doctor)s") % {"doctor": appointment.doctor})
    event.add("location", f"{settings.HMS_CLINIC_NAME}, {appointment.doctor.department}")
    link = site_url(reverse("scheduling:appointment-detail", args=[appointment.pk]))
    event.add("url", link)
    event.add("description", link)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def _calendar(method: str | None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.HMS_CLINIC_NAME}//HMS appointments//EN")
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    return calendar


def appointment_ics(appointment, *, cancelled: bool = False) -> tuple[str, str, str]:
    """(file name, content type, text) of the notice's attachment: METHOD
    REQUEST for a new or moved visit, CANCEL for a cancelled one.
    """
    method = "CANCEL" if cancelled else "REQUEST"
    calendar = _calendar(method)
    calendar.add_component(_event(appointment, cancelled=cancelled))
    return "appointment.ics", f"{ICS_TYPE}; method={method}", calendar.to_ical().decode()


def feed_ics(appointments: Iterable, *, name: str) -> bytes:
    """A subscribable calendar (no METHOD) of these appointments."""
    calendar = _calendar(None)
    calendar.add("x-wr-calname", name)
    for appointment in appointments:
        calendar.add_component(
            _event(appointment, cancelled=appointment.status == appointment.Status.CANCELLED)
        )
    return calendar.to_ical()
