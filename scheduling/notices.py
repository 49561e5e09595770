"""What patients are told about their appointments: the outbox rows of a
booking, a move, a cancellation and a reminder, each e-mail with its .ics.

Built here, written by the services in the transaction of the change. The
context holds times, the doctor, the department and links: never the reason
for the visit, a diagnosis or any other clinical detail, since e-mail is
not a private channel.

Each e-mail is written in its recipient's language: the context and the .ics
are handed to ``outbox.email`` as callables, which builds them inside the
recipient's ``translation.override`` (a Hindi patient booked by an
English-speaking receptionist reads Hindi, dates and calendar title included).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial

from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from hms.clinic_time import clinic_date
from notifications import services as outbox
from notifications.models import Notification
from scheduling.calendar import appointment_ics


def event_prefix(appointment) -> str:
    return f"appointment:{appointment.pk}:"


def _context(appointment, **extra) -> dict:
    return {
        "appointment": appointment,
        "patient_name": appointment.patient.user.first_name,
        "doctor": str(appointment.doctor),
        "department": str(appointment.doctor.department),
        "start": timezone.localtime(appointment.start),
        "link": outbox.site_url(reverse("scheduling:appointment-detail", args=[appointment.pk])),
        "rebook_link": outbox.site_url(
            reverse("scheduling:appointment-book", args=[appointment.doctor_id])
        ),
        **extra,
    }


def booked(appointment, *, now: datetime | None = None) -> Notification | None:
    return outbox.email(
        event_key=f"{event_prefix(appointment)}booked",
        user=appointment.patient.user,
        template="scheduling/email/appointment_booked",
        context=partial(_context, appointment),
        attachment=partial(appointment_ics, appointment),
        now=now,
    )


def moved(appointment, *, old_start: datetime, now: datetime | None = None):
    return outbox.email(
        event_key=f"{event_prefix(appointment)}moved:{appointment.sequence}",
        user=appointment.patient.user,
        template="scheduling/email/appointment_moved",
        context=partial(_context, appointment, old_start=timezone.localtime(old_start)),
        attachment=partial(appointment_ics, appointment),
        now=now,
    )


def _cancelled_by(appointment) -> str:
    by = appointment.cancelled_by
    if by is None or by.pk == appointment.patient.user_id:
        return _("you")
    if by.role == Role.DOCTOR and by.pk == appointment.doctor.user_id:
        return str(appointment.doctor)
    return _("the hospital")


def cancelled(appointment, *, now: datetime | None = None) -> Notification | None:
    by_patient = appointment.cancelled_by_id == appointment.patient.user_id
    return outbox.email(
        event_key=f"{event_prefix(appointment)}cancelled",
        user=appointment.patient.user,
        template="scheduling/email/appointment_cancelled",
        context=lambda: _context(
            appointment,
            cancelled_by=_cancelled_by(appointment),
            by_patient=by_patient,
            reason="" if by_patient else appointment.cancellation_reason,
        ),
        attachment=partial(appointment_ics, appointment, cancelled=True),
        now=now,
    )


def offered(hold, *, now: datetime | None = None) -> Notification | None:
    """A freed slot held for a waitlisted patient (optional: they may turn it off)."""
    return outbox.email(
        event_key=f"{event_prefix(hold)}offered",
        user=hold.patient.user,
        template="scheduling/email/waitlist_offer",
        context=partial(
            _context,
            hold,
            expires=timezone.localtime(hold.hold_expires_at),
            accept_link=outbox.site_url(reverse("scheduling:waitlist-offer", args=[hold.pk])),
        ),
        optional="waitlist",
        now=now,
    )


def _when(start: datetime, now: datetime) -> str:
    days = (clinic_date(start) - clinic_date(now)).days
    if days == 0:
        return _("today")
    if days == 1:
        return _("tomorrow")
    # Day and month names in the active language ("Friday 4 December").
    return _("on %(date)s") % {"date": dateformat.format(timezone.localtime(start), "l j F")}


def reminder_key(appointment, lead: str) -> str:
    return f"{event_prefix(appointment)}reminder:{lead}:{appointment.sequence}"


def reminder(appointment, *, lead: str, now: datetime) -> list[Notification | None]:
    """The e-mail (unless the patient turned reminders off) and the Google Chat post."""
    start = timezone.localtime(appointment.start)
    key = reminder_key(appointment, lead)

    def text() -> str:
        return _(
            "Reminder for %(patient)s: appointment with %(doctor)s (%(department)s) "
            "%(when)s at %(time)s."
        ) % {
            "patient": appointment.patient.patient_number,
            "doctor": appointment.doctor,
            "department": appointment.doctor.department,
            "when": _when(start, now),
            "time": f"{start:%H:%M}",
        }

    return [
        outbox.email(
            event_key=key,
            user=appointment.patient.user,
            template="scheduling/email/appointment_reminder",
            context=lambda: _context(appointment, when=_when(start, now)),
            optional="reminders",
            now=now,
        ),
        outbox.chat(event_key=key, text=text, now=now),
    ]


def parse_lead(text: str) -> timedelta:
    """``24h``, ``2h`` or ``90m`` as a duration."""
    text = text.strip().lower()
    number, unit = text[:-1], text[-1:]
    if not number.isdigit() or unit not in ("h", "m") or int(number) == 0:
        raise ValueError(f"A reminder lead time looks like 24h or 30m, not {text!r}")
    return timedelta(hours=int(number)) if unit == "h" else timedelta(minutes=int(number))
