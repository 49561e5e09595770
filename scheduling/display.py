"""What the long lists of a page show, computed once per page in the view:
plain dicts of labels, local times and URLs, so the templates only print them.

The doctor's home lists a whole week (up to ~220 rows); a ``{% url %}``, a
``date`` filter, ``get_status_display`` (which translates every choice to find
one) and an ``{% include %}`` per row cost most of its time. Here each URL is
reversed once per page and each status label translated once per page. The
patient's home prints its upcoming and past visits the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, tzinfo

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from clinic.models import Patient, doctor_name
from hms.clinic_time import clinic_date
from scheduling.models import Appointment

_PK = 987654321  # a stand-in primary key, cut out of the reversed URL


def pk_url(name: str) -> Callable[[int], str]:
    """``reverse(name, args=[pk])`` for any pk, reversed once."""
    head, tail = reverse(name, args=[_PK]).rsplit(str(_PK), 1)
    return lambda pk: f"{head}{pk}{tail}"


# As templates/scheduling/_status.html: the badge colour of each status.
BADGE_CLASSES = {
    Appointment.Status.BOOKED: "text-bg-primary",
    Appointment.Status.ARRIVED: "text-bg-info",
    Appointment.Status.COMPLETED: "text-bg-success",
    Appointment.Status.CANCELLED: "text-bg-secondary",
}


class Badges:
    """The status badge of an appointment (as _status.html), labels translated once."""

    def __init__(self) -> None:
        self.labels = Appointment.Status.words()

    def __call__(self, status: str, token: int | None) -> dict:
        """``status`` (the CSS suffix), ``css`` (the colour) and ``badge`` (the text)."""
        label = self.labels.get(status, status)
        return {
            "status": status,
            "css": BADGE_CLASSES.get(status, "text-bg-warning"),
            "badge": f"{label} · {token}" if token else label,
        }


def hour_minute(moment: datetime, zone: tzinfo) -> str:
    """``moment|time:"H:i"`` in ``zone``: the current time zone, taken once per page."""
    return moment.astimezone(zone).strftime("%H:%M")


def week_days(rows: Iterable[dict]) -> list[tuple[str, list[dict]]]:
    """The doctor's week (``selectors.doctor_week_rows``): (day heading, rows)
    per clinic day, in order; each row has the appointment's ``url``, ``time``,
    ``patient`` and its badge (``Badges``).
    """
    detail = pk_url("scheduling:appointment-detail")
    badge = Badges()
    zone = timezone.get_current_timezone()
    days: dict[date, list[dict]] = {}
    for row in rows:
        days.setdefault(clinic_date(row["start"]), []).append(
            {
                "url": detail(row["pk"]),
                "time": hour_minute(row["start"], zone),
                # As str(patient): User.get_full_name.
                "patient": f"{row['first_name']} {row['last_name']}".strip(),
            }
            | badge(row["status"], row["token"])
        )
    return [(formats.date_format(day, "l j F"), rows) for day, rows in sorted(days.items())]


def day_rows(appointments: Iterable[Appointment], *, user) -> list[dict]:
    """Today's table of the doctor's home: each row as ``week_days`` plus the
    patient number, the reason and the URL of each action the person may take
    now (``appointment.actions``, as _attendance_buttons.html; None when not).
    """
    urls = {
        name: pk_url(f"scheduling:appointment-{name}")
        for name in ("detail", "check-in", "complete-record", "no-show", "reschedule", "cancel")
    }
    badge = Badges()
    zone = timezone.get_current_timezone()
    may_move = not user.is_patient
    rows = []
    for appointment in appointments:
        actions, pk = appointment.actions, appointment.pk
        rows.append(
            {
                "url": urls["detail"](pk),
                "time": hour_minute(appointment.start, zone),
                "patient": str(appointment.patient),
                "number": appointment.patient.patient_number,
                "reason": appointment.reason,
                **badge(appointment.status, appointment.token),
                "any": actions.any,
                "check_in": urls["check-in"](pk) if actions.can_check_in else None,
                "record": urls["complete-record"](pk) if actions.can_record else None,
                "no_show": urls["no-show"](pk) if actions.can_attend else None,
                "move": urls["reschedule"](pk) if actions.can_reschedule and may_move else None,
                "cancel": urls["cancel"](pk) if actions.can_cancel else None,
            }
        )
    return rows


def patient_upcoming(appointments: list[Appointment]) -> list[dict]:
    """The patient's home, upcoming visits: each row's ``url``, ``day``,
    ``time``, badge, ``doctor`` and ``department``, and the URL of each change
    the patient may make now (``appointment.actions``; None when not), with
    ``too_late`` when the cutoff has passed (as the home's template asked).
    Nothing is reversed or translated for a patient with nothing to come.
    """
    if not appointments:
        return []
    detail = pk_url("scheduling:appointment-detail")
    reschedule = pk_url("scheduling:appointment-reschedule")
    cancel = pk_url("scheduling:appointment-cancel")
    badge = Badges()
    rows = []
    for appointment in appointments:
        actions, pk, local = (
            appointment.actions,
            appointment.pk,
            timezone.localtime(appointment.start),
        )
        rows.append(
            {
                "url": detail(pk),
                "day": formats.date_format(local, "D j M Y"),
                "time": local.strftime("%H:%M"),
                **badge(appointment.status, appointment.token),
                "doctor": str(appointment.doctor),
                "department": str(appointment.doctor.department),
                "reschedule": reschedule(pk) if actions.can_reschedule else None,
                "cancel": cancel(pk) if actions.can_cancel else None,
                "too_late": actions.too_late_to_change,
            }
        )
    return rows


def patient_past(rows: list[dict]) -> list[dict]:
    """The patient's home, past visits (``selectors.patient_past``' rows): each
    one's ``url``, ``when``, ``doctor`` and badge (none of it worked out for
    a patient with no past visits).
    """
    if not rows:
        return []
    detail = pk_url("scheduling:appointment-detail")
    badge = Badges()
    return [
        {
            "url": detail(row["pk"]),
            "when": formats.date_format(timezone.localtime(row["start"]), "j M Y, H:i"),
            "doctor": doctor_name(row["doctor__user__first_name"], row["doctor__user__last_name"]),
        }
        | badge(row["status"], row["token"])
        for row in rows
    ]


def patient_rows(patients: Iterable[Patient]) -> list[dict]:
    """The doctor's home's "My patients" (``selectors.doctor_patients``): each
    patient's ``name``, ``number``, ``visits``, ``latest`` (the last visit's
    date, or "walk-in only") and the ``url`` of their history.
    """
    history = pk_url("clinic:patient-history")
    walk_in_only = _("walk-in only")
    return [
        {
            "url": history(patient.pk),
            "name": str(patient),
            "number": patient.patient_number,
            "visits": patient.visits,
            "latest": (
                formats.date_format(timezone.localtime(patient.last_visit), "j M Y")
                if patient.last_visit
                else walk_in_only
            ),
        }
        for patient in patients
    ]
