"""The doctor's and the patient's homes print rows the view computed
(scheduling/display.py) instead of a {% url %}, filters and includes per row:
the same HTML as the shared partials, in English and in Hindi.
"""

import re
from datetime import date

import pytest
from django.template.defaultfilters import date as date_filter
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.timezone import template_localtime

from clinic.tests.factories import PatientFactory
from scheduling import display, selectors, services
from scheduling.models import Appointment, WaitlistEntry
from scheduling.tests.factories import book, local, past_visit

pytestmark = pytest.mark.django_db

DOCTOR_HOME = reverse("scheduling:doctor-home")
PATIENT_HOME = reverse("scheduling:patient-home")


def _squash(html: str) -> str:
    """The HTML without the whitespace between tags and with every CSRF token alike."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken"', html)
    html = re.sub(r"\s*\n\s*", " ", html)
    return re.sub(r">\s+<", "><", html).replace("> ", ">").replace(" <", "<")


def test_pk_url_is_reverse_for_any_pk():
    detail = display.pk_url("scheduling:appointment-detail")
    for pk in (1, 42, 987654321, 10**12):
        assert detail(pk) == reverse("scheduling:appointment-detail", args=[pk])
    no_show = display.pk_url("scheduling:appointment-no-show")
    assert no_show(7) == reverse("scheduling:appointment-no-show", args=[7])


@pytest.mark.parametrize("language", ["en-gb", "hi"])
def test_the_doctor_home_rows_are_the_shared_partials(
    client, open_doctor, admin_user, clinic_now, language
):
    seen = book(PatientFactory(first_name="Asha"), open_doctor, local("2026-12-01 09:00"))
    arrived = book(PatientFactory(first_name="Bina"), open_doctor, local("2026-12-01 09:15"))
    services.appointment_check_in(appointment=arrived, by=admin_user)
    book(PatientFactory(first_name="Chitra"), open_doctor, local("2026-12-01 11:00"))
    later = book(PatientFactory(first_name="Divya"), open_doctor, local("2026-12-03 10:00"))
    services.appointment_cancel(appointment=later, by=admin_user, reason="Unwell")
    client.force_login(open_doctor.user)
    clinic_now.move_to(local("2026-12-01 09:20"))

    response = client.get(DOCTOR_HOME, HTTP_ACCEPT_LANGUAGE=language)

    page = _squash(response.text)
    request = RequestFactory().get(DOCTOR_HOME)
    request.user = open_doctor.user
    with translation.override(language):
        week = selectors.with_actions(
            selectors.doctor_between(
                doctor=open_doctor,
                first=local("2026-11-30 00:00").date(),
                last=local("2026-12-06 00:00").date(),
            ),
            user=open_doctor.user,
        )
        assert len(week) == 4
        for appointment in week:
            context = {"appointment": appointment, "user": open_doctor.user}
            status = _squash(render_to_string("scheduling/_status.html", context))
            assert page.count(status) >= 1, status
            if appointment.start.date() == seen.start.date():
                buttons = _squash(
                    render_to_string(
                        "scheduling/_attendance_buttons.html", context, request=request
                    )
                )
                assert buttons in page, buttons
    assert "Bina" in page
    assert "· 1</span>" in page  # the token on the arrived one's badge
    if language == "hi":
        assert "बुक है" in page  # booked
        assert "रद्द" in page  # cancelled


@pytest.mark.parametrize("language", ["en-gb", "hi"])
def test_the_patient_home_rows_are_the_shared_partial(
    patient_client, patient, open_doctor, admin_user, clinic_now, language
):
    soon = book(patient, open_doctor, local("2026-12-01 09:30"))  # inside the cutoff
    later = book(patient, open_doctor, local("2026-12-03 10:00"))
    dropped = book(patient, open_doctor, local("2026-12-04 10:00"))
    services.appointment_cancel(appointment=dropped, by=admin_user, reason="Unwell")
    seen = past_visit(patient, open_doctor, local("2026-11-20 09:00"))
    missed = past_visit(
        patient, open_doctor, local("2026-11-21 09:00"), status=Appointment.Status.NO_SHOW
    )
    WaitlistEntry.objects.create(
        patient=patient, doctor=open_doctor, first_day=date(2026, 12, 2), last_day=date(2026, 12, 4)
    )

    response = patient_client.get(PATIENT_HOME, HTTP_ACCEPT_LANGUAGE=language)

    page = _squash(response.text)
    with translation.override(language):
        for appointment in (soon, later, dropped, seen, missed):
            appointment.refresh_from_db()
            context = {"appointment": appointment}
            status = _squash(render_to_string("scheduling/_status.html", context))
            assert status in page, status
            assert (
                f'href="{reverse("scheduling:appointment-detail", args=[appointment.pk])}"' in page
            )
            assert str(open_doctor) in page
    for name, shown in (("reschedule", {later}), ("cancel", {later})):
        for appointment in (soon, later, dropped):
            url = reverse(f"scheduling:appointment-{name}", args=[appointment.pk])
            assert (f'href="{url}"' in page) == (appointment in shown), (name, appointment)
    assert page.count("Too close to change online") == (language == "en-gb")  # the soon one
    with translation.override(language):
        assert date_format(timezone.localtime(later.start), "D j M Y") + ", 10:00" in page
        assert date_format(timezone.localtime(seen.start), "j M Y, H:i") in page
        assert str(open_doctor.department) in page
        assert f"{open_doctor}, {date_format(date(2026, 12, 2), 'j M')} " in page
        assert date_format(date(2026, 12, 4), "j M Y") in page
    if language == "en-gb":
        assert f"{open_doctor}, 2 Dec to 4 Dec 2026" in page  # the waitlist


@pytest.mark.parametrize("language", ["en-gb", "hi"])
def test_the_patient_rows_print_as_the_template_did(open_doctor, clinic_now, language):
    # 04:00 on 1 December in the clinic's zone is still 30 November in UTC.
    late = past_visit(PatientFactory(first_name="Esha"), open_doctor, local("2026-12-01 04:00"))
    walk_in = PatientFactory(first_name="Farah")
    walk_in.visits, walk_in.last_visit = 0, None
    seen = selectors.doctor_patients(doctor=open_doctor)[0]

    with translation.override(language):
        rows = display.patient_rows([seen, walk_in])
        assert rows[0]["latest"] == date_filter(template_localtime(late.start), "j M Y")
        assert (rows[1]["latest"] == "walk-in only") == (language == "en-gb")

    assert rows[0] | {"latest": None} == {
        "url": reverse("clinic:patient-history", args=[late.patient.pk]),
        "name": str(late.patient),
        "number": late.patient.patient_number,
        "visits": 1,
        "latest": None,
    }


def test_the_actions_are_asked_untranslated_and_the_language_is_kept(open_doctor, clinic_now):
    appointment = book(PatientFactory(first_name="Gita"), open_doctor, local("2026-12-01 09:00"))
    english = selectors.with_actions([appointment], user=open_doctor.user)[0].actions

    with translation.override("hi"):
        hindi = selectors.with_actions([appointment], user=open_doctor.user)[0].actions
        assert translation.get_language() == "hi"

    assert hindi == english
    assert (english.can_cancel, english.can_check_in) == (True, False)
