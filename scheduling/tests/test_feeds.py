"""Private calendar feeds and the optional e-mail switches."""

import pytest
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from clinic.tests.factories import PatientFactory, TreatmentFactory
from scheduling import feeds, services
from scheduling.tests.factories import book, local

pytestmark = pytest.mark.django_db
PAGE = reverse("scheduling:notification-settings")


def _issue(client):
    response = client.post(PAGE, {"action": "feed-issue"})
    assert response.status_code == 200
    return response.context["feed_url"].split("testserver", 1)[1]


def _events(response):
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content).walk("VEVENT")


def test_it_feeds_a_patient_their_own_appointments_only(client, patient, open_doctor, clinic_now):
    mine = book(patient, open_doctor, local("2026-12-02 10:00"), reason="Chest pain")
    book(PatientFactory(), open_doctor, local("2026-12-02 11:00"))
    TreatmentFactory(patient=patient, doctor=open_doctor, diagnosis="Essential hypertension")
    client.force_login(patient.user)
    url = _issue(client)
    client.logout()

    response = client.get(url)  # a calendar program: no session

    (event,) = _events(response)
    assert str(event["UID"]) == f"appointment-{mine.pk}@127.0.0.1"
    assert event.decoded("DTSTART") == local("2026-12-02 10:00")
    assert event.decoded("DTSTART").utcoffset().total_seconds() == 0  # in UTC
    assert "chest pain" not in response.content.decode().lower()
    assert "hypertension" not in response.content.decode().lower()


def test_it_feeds_a_doctor_their_appointments(client, open_doctor, clinic_now):
    visits = [
        book(PatientFactory(), open_doctor, local("2026-12-02 10:00")),
        book(PatientFactory(), open_doctor, local("2026-12-03 10:00")),
    ]
    cancelled = book(PatientFactory(), open_doctor, local("2026-12-04 10:00"))
    services.appointment_cancel(appointment=cancelled, by=cancelled.patient.user)
    client.force_login(open_doctor.user)
    url = _issue(client)

    events = _events(client.get(url))

    assert sorted(str(e["UID"]) for e in events) == sorted(
        f"appointment-{v.pk}@127.0.0.1" for v in visits
    )


def test_it_answers_404_to_another_persons_token_and_a_revoked_one(client, patient, doctor):
    patient_token = feeds.feed_issue(user=patient.user)
    doctor_token = feeds.feed_issue(user=doctor.user)

    def get(user_id, token):
        return client.get(reverse("scheduling:calendar-feed", args=[user_id, token]))

    assert get(patient.user.pk, patient_token).status_code == 200
    assert get(patient.user.pk, doctor_token).status_code == 404
    assert get(doctor.user.pk, patient_token).status_code == 404
    assert get(patient.user.pk, "not-a-token").status_code == 404

    client.force_login(patient.user)
    client.post(PAGE, {"action": "feed-revoke"})
    assert get(patient.user.pk, patient_token).status_code == 404

    fresh = feeds.feed_issue(user=patient.user)
    assert get(patient.user.pk, fresh).status_code == 200
    feeds.feed_issue(user=patient.user)  # re-issued: the previous link dies
    assert get(patient.user.pk, fresh).status_code == 404


def test_it_stores_only_a_hash_of_the_token(patient):
    from scheduling.models import CalendarFeed

    token = feeds.feed_issue(user=patient.user)

    stored = CalendarFeed.objects.get(user=patient.user).token_hash
    assert token not in stored
    assert len(stored) == 64


def test_it_turns_optional_emails_off_but_never_the_notices(
    client, patient, open_doctor, clinic_now, django_capture_on_commit_callbacks
):
    client.force_login(patient.user)
    page = client.get(PAGE)
    response = client.post(PAGE, {"action": "preferences"}, follow=True)  # both unticked

    assert "E-mail me reminders before my appointments" in page.text
    assert "Your e-mail choices are saved." in response.text
    patient.user.refresh_from_db()
    assert (patient.user.email_reminders, patient.user.email_waitlist_offers) == (False, False)
    with django_capture_on_commit_callbacks(execute=True):
        appointment = book(patient, open_doctor, local("2026-12-02 10:00"))
        clinic_now.move_to(local("2026-12-01 10:00"))
        assert services.reminders_send() == 0
        services.appointment_cancel(appointment=appointment, by=patient.user)
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Booked", "Cancelled"]


def test_it_keeps_admins_out_of_the_page(admin_client):
    assert admin_client.get(PAGE).status_code == 403
