"""Every notice in its recipient's language, whoever caused it and in whatever
language they were working: the patient's choice, else the clinic's default."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from accounts.tests.factories import ReceptionFactory
from clinic.tests.factories import PatientFactory
from notifications.models import Notification
from scheduling import notices, services, tasks
from scheduling.tests.factories import book, local

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_after():
    """A request in Hindi leaves Hindi active in this thread: not for the next test."""
    with translation.override("en-gb"):
        yield


def _hindi_patient():
    patient = PatientFactory()
    patient.user.preferred_language = "hi"
    patient.user.save(update_fields=["preferred_language"])
    return patient


def _desk(language: str) -> Client:
    client = Client(headers={"accept-language": language})
    desk = ReceptionFactory()
    desk.preferred_language = language
    desk.save(update_fields=["preferred_language"])
    client.force_login(desk)
    return client


def _book_at_the_desk(desk: Client, doctor, patient, captured):
    url = reverse("scheduling:appointment-book", args=[doctor.pk]) + f"?patient={patient.pk}"
    with captured(execute=True):
        response = desk.post(url, {"start": local("2026-12-02 10:00").isoformat()})
    assert response.status_code == 302
    (message,) = mail.outbox
    return message


def _summary(message) -> str:
    (attachment,) = message.attachments
    (event,) = Calendar.from_ical(attachment.get_payload(decode=True)).walk("VEVENT")
    return str(event["SUMMARY"])


def test_a_hindi_patient_booked_by_an_english_desk_reads_hindi(
    open_doctor, django_capture_on_commit_callbacks
):
    patient = _hindi_patient()

    message = _book_at_the_desk(
        _desk("en-gb"), open_doctor, patient, django_capture_on_commit_callbacks
    )

    assert message.subject.startswith("बुक है: आपका अपॉइंटमेंट 2 ")
    assert message.subject.endswith(" 2026 को 10:00 बजे")
    assert f"नमस्ते {patient.user.first_name}," in message.body
    assert "आपका अपॉइंटमेंट बुक है:" in message.body
    assert "बुधवार 2 दिसंबर 2026, 10:00 बजे" in message.body
    assert "Booked" not in message.body
    html = message.alternatives[0][0]
    assert '<html lang="hi">' in html
    assert "अपना अपॉइंटमेंट देखें, समय बदलें या रद्द करें" in html
    assert _summary(message).endswith(" के साथ अपॉइंटमेंट")


def test_an_english_patient_booked_by_a_hindi_desk_reads_english(
    open_doctor, patient, django_capture_on_commit_callbacks
):
    """No language chosen: the clinic's default (English), not the desk's Hindi."""
    assert patient.user.preferred_language == ""

    message = _book_at_the_desk(
        _desk("hi"), open_doctor, patient, django_capture_on_commit_callbacks
    )

    assert message.subject == "Booked: your appointment on 2 Dec 2026 at 10:00"
    assert "Wednesday 2 December 2026 at 10:00" in message.body
    assert '<html lang="en-gb">' in message.alternatives[0][0]
    assert _summary(message) == f"Appointment with {open_doctor}"


def test_a_hindi_patient_is_told_in_hindi_that_the_hospital_cancelled(
    open_doctor, django_capture_on_commit_callbacks
):
    patient = _hindi_patient()
    appointment = book(patient, open_doctor, local("2026-12-02 10:00"))

    with django_capture_on_commit_callbacks(execute=True):
        services.appointment_cancel(
            appointment=appointment, by=ReceptionFactory(), reason="Doctor unwell"
        )

    (message,) = [m for m in mail.outbox if m.subject.startswith("रद्द:")]
    assert "अस्पताल ने रद्द कर दिया है।" in message.body
    assert "कारण: Doctor unwell" in message.body
    assert "असुविधा के लिए हमें खेद है।" in message.body


def test_the_reminder_task_writes_each_reminder_in_its_patients_language(
    open_doctor, clinic_now, settings
):
    settings.HMS_CHAT_WEBHOOK_URL = "http://127.0.0.1:9/closed"
    hindi = book(_hindi_patient(), open_doctor, local("2026-12-03 10:00"))
    english = book(PatientFactory(), open_doctor, local("2026-12-03 10:15"))
    clinic_now.move_to(local("2026-12-02 10:30"))

    with translation.override("hi"):  # whatever a worker happens to be in
        assert tasks.send_reminders.delay().get() == 2

    def email_of(appointment):
        return Notification.objects.get(
            event_key__contains=":reminder:", user=appointment.patient.user
        )

    assert email_of(hindi).subject == "रिमाइंडर: आपका अपॉइंटमेंट कल 10:00 बजे है"
    assert "कृपया दस मिनट पहले पहुँचें" in email_of(hindi).body_text
    assert email_of(english).subject == "Reminder: your appointment tomorrow at 10:15"
    assert "Please arrive ten minutes early" in email_of(english).body_text
    posts = Notification.objects.filter(channel=Notification.Channel.CHAT)
    # The clinic's Google Chat space reads the clinic's language.
    assert sorted(p.body_text[:13] for p in posts) == ["Reminder for "] * 2


def test_it_names_a_later_day_in_the_active_language():
    with translation.override("hi"):
        when = notices._when(local("2026-12-04 10:30"), local("2026-12-01 08:00"))
    assert when == "शुक्रवार 4 दिसंबर को"
    assert notices._when(local("2026-12-04 10:30"), local("2026-12-01 08:00")) == (
        "on Friday 4 December"
    )


def test_a_service_refuses_in_hindi_under_a_hindi_override(open_doctor, patient):
    with translation.override("hi"), pytest.raises(ValidationError) as refused:
        services.exception_add(
            doctor=open_doctor, date=local("2026-11-30 10:00").date(), kind="leave"
        )
    assert refused.value.message_dict == {"date": ["आज की या आगे की कोई तारीख़ चुनें।"]}

    with pytest.raises(ValidationError) as gone:
        services.appointment_book(
            patient=patient, doctor=open_doctor, start=local("2026-12-02 10:07")
        )
    with translation.override("hi"):  # a lazy message: in the language it is shown in
        assert gone.value.messages == ["वह स्लॉट अब उपलब्ध नहीं है, कृपया कोई दूसरा चुनें।"]
