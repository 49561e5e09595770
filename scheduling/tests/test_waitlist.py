"""The waitlist: a freed slot is held for the first patient waiting, then passed on."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import ReceptionFactory
from clinic.tests.factories import PatientFactory
from scheduling import services, waitlist
from scheduling.models import Appointment, WaitlistEntry
from scheduling.tests.factories import book, local

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(open_doctor, clinic_now):
    """A booked visit on 3 Dec at 10:00 and two patients waiting for 2-4 Dec, first come first."""
    visit = book(PatientFactory(), open_doctor, local("2026-12-03 10:00"))
    first, second = PatientFactory(), PatientFactory()
    for person in (first, second):
        waitlist.waitlist_join(
            patient=person,
            doctor=open_doctor,
            first_day=date(2026, 12, 2),
            last_day=date(2026, 12, 4),
            by=person.user,
        )
        clinic_now.shift(timedelta(seconds=1))
    return visit, first, second


def _cancel(visit):
    return services.appointment_cancel(appointment=visit, by=visit.patient.user)


def test_it_holds_a_cancelled_slot_for_the_first_patient_waiting(
    queue, django_capture_on_commit_callbacks
):
    visit, first, second = queue

    with django_capture_on_commit_callbacks(execute=True):
        cancelled = _cancel(visit)

    hold = Appointment.objects.get(status=Appointment.Status.HELD)
    assert (hold.patient, hold.start) == (first, visit.start)
    assert hold.hold_expires_at == cancelled.cancelled_at + timedelta(minutes=30)
    assert WaitlistEntry.objects.get(patient=first).status == WaitlistEntry.Status.OFFERED
    assert WaitlistEntry.objects.get(patient=second).status == WaitlistEntry.Status.WAITING
    offer = next(m for m in mail.outbox if m.to == [first.user.email])
    assert offer.subject == "A slot opened up: 3 Dec 2026 at 10:00, held for you"
    assert f"http://127.0.0.1:8000/waitlist/offers/{hold.pk}/" in offer.body


def test_it_refuses_another_patients_booking_of_the_held_slot(queue, open_doctor):
    visit, _, second = queue
    _cancel(visit)

    with pytest.raises(ValidationError) as refused:
        book(second, open_doctor, visit.start)

    assert refused.value.messages == ["That slot was just taken, please choose another."]
    assert Appointment.objects.filter(start=visit.start, status="booked").count() == 0


def test_it_refuses_the_held_slot_in_the_database_too(queue, open_doctor):
    """Not a Python check: a row written past the services still meets the constraint."""
    from django.db import IntegrityError, transaction

    visit, _, second = queue
    _cancel(visit)

    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(
            patient=second, doctor=open_doctor, start=visit.start, end=visit.end
        )


def test_it_books_the_slot_with_one_click_from_the_offer(
    queue, client, django_capture_on_commit_callbacks
):
    visit, first, _ = queue
    _cancel(visit)
    hold = Appointment.objects.get(status=Appointment.Status.HELD)
    client.force_login(first.user)

    home = client.get(reverse("scheduling:patient-home"))
    page = client.get(reverse("scheduling:waitlist-offer", args=[hold.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("scheduling:waitlist-offer", args=[hold.pk]), follow=True)

    assert "A slot opened up with" in home.text
    assert reverse("scheduling:waitlist-offer", args=[hold.pk]) in home.text
    assert "Take this slot" in page.text
    assert "Booked. See you then!" in response.text
    hold.refresh_from_db()
    assert (hold.status, hold.hold_expires_at) == (Appointment.Status.BOOKED, None)
    assert WaitlistEntry.objects.get(patient=first).status == WaitlistEntry.Status.BOOKED
    assert [m.subject for m in mail.outbox if m.to == [first.user.email]] == [
        "Booked: your appointment on 3 Dec 2026 at 10:00"
    ]


def test_it_shows_an_offer_to_nobody_else(queue, client):
    visit, _, second = queue
    _cancel(visit)
    hold = Appointment.objects.get(status=Appointment.Status.HELD)
    client.force_login(second.user)

    assert client.get(reverse("scheduling:waitlist-offer", args=[hold.pk])).status_code == 404
    assert client.post(reverse("scheduling:waitlist-offer", args=[hold.pk])).status_code == 404


def test_it_expires_the_hold_and_passes_the_slot_on(queue, clinic_now, client):
    visit, first, second = queue
    _cancel(visit)
    clinic_now.shift(timedelta(minutes=29, seconds=59))
    assert waitlist.waitlist_holds_expire() == 0

    clinic_now.shift(timedelta(seconds=1))
    assert waitlist.waitlist_holds_expire() == 1
    assert waitlist.waitlist_holds_expire() == 0

    (hold,) = Appointment.objects.filter(status=Appointment.Status.HELD)
    assert hold.patient == second
    assert WaitlistEntry.objects.get(patient=first).status == WaitlistEntry.Status.EXPIRED
    client.force_login(first.user)
    late = client.get(reverse("scheduling:patient-home"))
    assert "A slot opened up with" not in late.text


def test_it_refuses_an_accept_after_the_hold_expired(queue, clinic_now):
    visit, first, _ = queue
    _cancel(visit)
    hold = Appointment.objects.get(status=Appointment.Status.HELD)
    clinic_now.shift(timedelta(minutes=31))

    with pytest.raises(ValidationError) as refused:
        waitlist.waitlist_accept(appointment=hold, by=first.user)

    assert "expired" in refused.value.messages[0]


def test_it_offers_nothing_for_a_slot_lost_to_leave(
    queue, open_doctor, django_capture_on_commit_callbacks
):
    visit, _, _ = queue

    services.exception_add(
        doctor=open_doctor,
        date=date(2026, 12, 3),
        kind="leave",
        cancel_affected=True,
        reason="On leave",
        by=open_doctor.user,
    )

    visit.refresh_from_db()
    assert visit.status == Appointment.Status.CANCELLED
    assert not Appointment.objects.filter(status=Appointment.Status.HELD).exists()


def test_it_offers_a_slot_outside_the_range_to_nobody(open_doctor, clinic_now):
    visit = book(PatientFactory(), open_doctor, local("2026-12-05 10:00"))
    person = PatientFactory()
    waitlist.waitlist_join(
        patient=person,
        doctor=open_doctor,
        first_day=date(2026, 12, 2),
        last_day=date(2026, 12, 4),
        by=person.user,
    )

    _cancel(visit)

    assert not Appointment.objects.filter(status=Appointment.Status.HELD).exists()


def test_it_joins_from_the_booking_page_and_explains_a_bad_range(
    patient_client, patient, open_doctor
):
    url = reverse("scheduling:waitlist-join", args=[open_doctor.pk])
    page = patient_client.get(reverse("scheduling:appointment-book", args=[open_doctor.pk]))

    bad = patient_client.post(url, {"first_day": "2026-12-04", "last_day": "2026-12-02"})
    good = patient_client.post(
        url, {"first_day": "2026-12-02", "last_day": "2026-12-04"}, follow=True
    )
    again = patient_client.post(url, {"first_day": "2026-12-02", "last_day": "2026-12-04"})

    assert "Join the waitlist" in page.text
    assert bad.status_code == 422
    assert "The last day must be on or after the first." in bad.text
    assert "You are on the waitlist of" in good.text
    assert "Your waitlist" in good.text
    assert again.status_code == 422
    assert "You are already on this doctor&#x27;s waitlist." in again.text
    assert WaitlistEntry.objects.filter(patient=patient).count() == 1


def test_it_lets_the_front_desk_put_a_patient_on_the_waitlist(patient, open_doctor):
    desk = ReceptionFactory()
    client = Client()
    client.force_login(desk)
    booking = reverse("scheduling:appointment-book", args=[open_doctor.pk])
    url = reverse("scheduling:waitlist-join", args=[open_doctor.pk])

    page = client.get(f"{booking}?patient={patient.pk}")
    unnamed = client.post(url, {"first_day": "2026-12-02", "last_day": "2026-12-04"})
    joined = client.post(
        f"{url}?patient={patient.pk}",
        {"first_day": "2026-12-02", "last_day": "2026-12-04"},
        follow=True,
    )

    assert f'action="{url}?patient={patient.pk}"' in page.text
    assert unnamed.status_code == 302  # to the desk: find the patient first
    assert not WaitlistEntry.objects.filter(added_by=desk).exclude(patient=patient).exists()
    assert f"{patient} is on the waitlist of {open_doctor}." in joined.text
    entry = WaitlistEntry.objects.get(patient=patient)
    assert (entry.doctor, entry.added_by) == (open_doctor, desk)
