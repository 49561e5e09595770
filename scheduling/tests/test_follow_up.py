"""The next visit a doctor suggested, on the patient's home, and booking it."""

from datetime import date

import pytest
from django.urls import reverse

from clinic.tests.factories import TreatmentFactory
from scheduling.tests.factories import book, local

pytestmark = pytest.mark.django_db

HOME = reverse("scheduling:patient-home")


def _book_url(doctor, day):
    return reverse("scheduling:appointment-book", args=[doctor.pk]) + f"?day={day}"


def test_it_offers_to_book_the_suggested_visit(patient_client, patient, open_doctor):
    TreatmentFactory(patient=patient, doctor=open_doctor, next_visit_on=date(2026, 12, 4))

    home = patient_client.get(HOME)
    booking = patient_client.get(_book_url(open_doctor, "2026-12-04"))

    follow_up = home.text.split('id="follow-up"')[1].split("</section>")[0]
    assert "Friday 4 December 2026" in follow_up
    assert f'href="{_book_url(open_doctor, "2026-12-04")}"' in follow_up
    assert booking.status_code == 200
    assert 'aria-current="date"' in booking.text.split("Fri 4 Dec")[0].rsplit("<a", 1)[1]
    assert "not open for booking yet" not in booking.text


def test_it_falls_back_to_the_first_free_day_beyond_the_window(
    patient_client, patient, open_doctor
):
    TreatmentFactory(patient=patient, doctor=open_doctor, next_visit_on=date(2027, 1, 5))

    booking = patient_client.get(_book_url(open_doctor, "2027-01-05"))

    assert booking.status_code == 200
    assert "Tuesday 5 January 2027 is not open for booking yet" in booking.text
    assert "Tuesday 1 December" in booking.text  # the first day with free slots


def test_it_hides_the_suggestion_once_booked_or_past(patient_client, patient, open_doctor):
    TreatmentFactory(patient=patient, doctor=open_doctor, next_visit_on=date(2026, 12, 4))
    book(patient, open_doctor, local("2026-12-04 10:00"))

    assert 'id="follow-up"' not in patient_client.get(HOME).text


def test_it_shows_no_suggestion_of_a_past_date(patient_client, patient, open_doctor, clinic_now):
    TreatmentFactory(patient=patient, doctor=open_doctor, next_visit_on=date(2026, 12, 4))
    clinic_now.move_to(local("2026-12-05 09:00"))

    assert 'id="follow-up"' not in patient_client.get(HOME).text


def test_it_shows_no_one_elses_suggestion(patient_client, open_doctor):
    TreatmentFactory(doctor=open_doctor, next_visit_on=date(2026, 12, 4))

    assert 'id="follow-up"' not in patient_client.get(HOME).text
