"""The scheduling pages in Hindi: headings, status labels, form errors, the
front desk, the waiting-room screen and the service refusals; and no English
word left on a page of this area but names, codes and the like.
"""

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts.tests.factories import ReceptionFactory
from clinic.models import Patient
from clinic.tests.factories import PatientFactory
from scheduling import services
from scheduling.models import Appointment, AvailabilityException, QueueDisplay
from scheduling.tests.factories import book, local, past_visit

pytestmark = pytest.mark.django_db

HI = {"HTTP_ACCEPT_LANGUAGE": "hi"}


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def main_text(response) -> str:
    """The visible text of the page's <main> (the nav belongs to another area)."""
    html = response.content.decode()
    if "<main" in html:
        html = html[html.index("<main") : html.index("</main>")]
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<select\b.*?</select>", " ", html, flags=re.S)  # doctors' names
    # Attributes people read count too.
    read = r'(?:aria-label|placeholder|title|data-label)="([^"]*)"'
    attributes = " ".join(re.findall(read, html))
    return unescape(re.sub(r"<[^>]+>", " ", html) + " " + attributes)


def latin_words(text: str, allowed: set[str]) -> set[str]:
    """Words in Latin letters that are not the names, codes or e-mails the test made."""
    text = re.sub(r"\S+@\S+", " ", text)  # e-mail addresses
    return {w for w in re.findall(r"[A-Za-z][A-Za-z'-]*", text) if w not in allowed}


@pytest.fixture
def day(open_doctor, clinic_now):
    """Tuesday 1 December 2026, 10:00: one visit checked in, one booked, one cancelled."""
    desk = ReceptionFactory(first_name="Meena", last_name="Iyer")
    patient = PatientFactory(first_name="Priya", last_name="Sharma")
    other = PatientFactory(first_name="Ravi", last_name="Kumar")
    arrived = book(patient, open_doctor, local("2026-12-01 10:00"), "Fever")
    services.appointment_check_in(appointment=arrived, by=desk)
    booked = book(other, open_doctor, local("2026-12-01 11:00"))
    later = book(patient, open_doctor, local("2026-12-04 09:00"))
    past_visit(other, open_doctor, local("2026-11-20 09:00"), status=Appointment.Status.CANCELLED)
    clinic_now.move_to(local("2026-12-01 10:05"))
    return {"desk": desk, "patient": patient, "arrived": arrived, "booked": booked, "later": later}


def _allowed(open_doctor, *people) -> set[str]:
    words = {"HMS", "Dr", "Fever", "CSV", "OPD", "min"}
    for person in (open_doctor, *people):
        user = getattr(person, "user", person)
        words |= set(re.findall(r"[A-Za-z]+", f"{user.first_name} {user.last_name}"))
        if hasattr(person, "patient_number"):
            words |= set(re.findall(r"[A-Za-z]+", person.patient_number))
    words |= set(re.findall(r"[A-Za-z]+", f"{open_doctor.department} {open_doctor.specialization}"))
    return words


def test_the_patient_home_is_in_hindi(day, open_doctor):
    response = _signed_in(day["patient"].user).get(reverse("scheduling:patient-home"), **HI)

    assert response.status_code == 200
    text = main_text(response)
    assert "आने वाले अपॉइंटमेंट" in text
    assert "पहुँच गए" in text  # the checked-in visit's status
    assert "अपॉइंटमेंट बुक करें" in text
    assert latin_words(text, _allowed(open_doctor, day["patient"])) == set()


def test_the_doctors_day_is_in_hindi_with_hindi_dates(day, open_doctor):
    response = _signed_in(open_doctor.user).get(reverse("scheduling:doctor-home"), **HI)

    text = main_text(response)
    assert "प्रतीक्षा कक्ष" in text
    assert "आज के अपॉइंटमेंट" in text
    assert "बुक है" in text
    assert "मंगलवार 1 दिस" in text  # the week's days in Hindi (दिसमबर, or दिसंबर respelled)
    ravi = Patient.objects.get(user__first_name="Ravi")
    allowed = _allowed(open_doctor, day["patient"], ravi)
    assert latin_words(text, allowed) == set()


def test_the_front_desk_is_in_hindi(day, open_doctor):
    response = _signed_in(day["desk"]).get(reverse("scheduling:desk"), **HI)

    text = main_text(response)
    assert "रिसेप्शन" in text
    assert re.search(r"मंगलवार 1 दिस\S+ 2026", text)
    assert "चेक-इन करें" in text
    assert "पहुँच गए" in text
    assert "बुक है" in text
    ravi = Patient.objects.get(user__first_name="Ravi")
    assert latin_words(text, _allowed(open_doctor, day["patient"], ravi)) == set()


def test_the_waiting_room_screen_is_in_hindi(day, open_doctor):
    display = services.queue_display_create(
        display=QueueDisplay(name="OPD hall", doctor=open_doctor), by=None
    )

    response = Client().get(reverse("scheduling:queue-display", args=[display.token]), **HI)

    html = response.content.decode()
    assert '<html lang="hi">' in html
    assert "अभी देख रहे हैं" in html
    assert "अगला" in html


def test_a_booking_form_error_is_in_hindi(day, open_doctor):
    client = _signed_in(day["patient"].user)
    url = reverse("scheduling:waitlist-join", args=[open_doctor.pk])

    response = client.post(url, {"first_day": "2026-12-05", "last_day": "2026-12-03"}, **HI)

    assert response.status_code == 422
    assert "आख़िरी दिन पहले दिन के बराबर या उसके बाद का होना चाहिए।" in response.text


def test_an_availability_form_error_and_kind_are_in_hindi(open_doctor):
    client = _signed_in(open_doctor.user)

    response = client.post(
        reverse("scheduling:availability"),
        {"exception-date": "2026-12-10", "exception-kind": "changed_hours"},
        **HI,
    )

    assert response.status_code == 422
    assert "उस दिन डॉक्टर के काम का समय लिखें।" in response.text
    assert "बदला हुआ समय" in response.text  # the kind's choice label
    assert "सोमवार" in response.text  # the usual week's days


def test_every_page_of_the_area_is_in_hindi(day, open_doctor, admin_user):
    """Render each page in Hindi; only names, codes and e-mails stay in Latin letters."""
    patient, ravi = day["patient"], Patient.objects.get(user__first_name="Ravi")
    AvailabilityException.objects.create(doctor=open_doctor, date=local("2026-12-09 00:00").date())
    allowed = _allowed(open_doctor, patient, ravi, day["desk"], admin_user)
    as_patient, as_doctor = _signed_in(patient.user), _signed_in(open_doctor.user)
    as_desk, as_admin = _signed_in(day["desk"]), _signed_in(admin_user)
    later, slug = day["later"], open_doctor.department.slug
    book_for = reverse("scheduling:appointment-book", args=[open_doctor.pk])
    pages = [
        (as_patient, reverse("scheduling:book-start")),
        (as_patient, reverse("scheduling:book-start") + f"?department={slug}"),
        (as_patient, reverse("scheduling:appointment-book", args=[open_doctor.pk])),
        (as_patient, reverse("scheduling:appointment-detail", args=[later.pk])),
        (as_patient, reverse("scheduling:appointment-cancel", args=[later.pk])),
        (as_patient, reverse("scheduling:appointment-reschedule", args=[later.pk])),
        (as_patient, reverse("scheduling:next-available") + f"?department={slug}"),
        (as_doctor, reverse("scheduling:availability")),
        (as_doctor, reverse("scheduling:appointment-detail", args=[day["arrived"].pk])),
        (as_desk, reverse("scheduling:desk") + "?q=Sharma"),
        (as_desk, reverse("scheduling:desk-patient", args=[patient.pk])),
        (as_desk, book_for + f"?patient={patient.pk}"),
        (as_admin, reverse("scheduling:appointment-list")),
        (as_admin, reverse("scheduling:availability-doctors")),
        (as_admin, reverse("scheduling:patient-future-bookings", args=[patient.pk])),
    ]
    left = {}
    for client, url in pages:
        response = client.get(url, **HI)
        assert response.status_code == 200, url
        words = latin_words(main_text(response), allowed)
        if words:
            left[url] = sorted(words)
    assert left == {}


def test_the_notification_settings_page_is_in_hindi(patient_client):
    # Its e-mail choices are the accounts' form (marked with the accounts).
    response = patient_client.get(reverse("scheduling:notification-settings"), **HI)

    assert "ई-मेल और कैलेंडर" in response.text
    assert "मेरी कैलेंडर फ़ीड चालू करें" in response.text


def test_the_service_refusals_are_in_hindi(day):
    day["arrived"].refresh_from_db()
    with translation.override("hi"):
        refusal = day["arrived"].check_in_refusal(by=day["desk"])
        closed = day["arrived"].cancel_refusal(by=day["desk"])

    assert "पहले ही पहुँच चुके हैं" in refusal
    assert closed == "मरीज़ पहले ही पहुँच चुके हैं, इसलिए अब इसे रद्द नहीं किया जा सकता।"


def test_the_admin_appointments_are_in_hindi(day, admin_client):
    response = admin_client.get("/admin/scheduling/appointment/", **HI)

    assert response.status_code == 200
    assert "डॉक्टर के अनुसार" in response.text  # the doctor filter's title
    assert "चुने गए बुक अपॉइंटमेंट रद्द करें" in response.text  # the action
    assert "प्रतीक्षा सूची के मरीज़ के लिए रोका गया" in response.text  # a status choice


def test_the_status_words_are_plain_text_in_the_language_active_when_asked():
    english = Appointment.Status.words()
    with translation.override("hi"):
        hindi = Appointment.Status.words()

    assert english["no_show"] == "No-show"
    assert hindi["no_show"] == "नहीं आए"
    assert set(hindi) == set(Appointment.Status.values)
    assert all(type(word) is str for word in hindi.values())  # not lazy: JSON and COPY take it
