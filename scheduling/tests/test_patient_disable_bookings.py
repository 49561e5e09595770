"""Disabling a patient offers to cancel their future bookings and tell them."""

import pytest
from django.core import mail
from django.urls import reverse

from scheduling.models import Appointment
from scheduling.tests.factories import book, local

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked(open_doctor, patient):
    return [
        book(patient, open_doctor, local("2026-12-02 10:00")),
        book(patient, open_doctor, local("2026-12-03 10:00")),
    ]


def _disable(admin_client, patient):
    return admin_client.post(
        reverse("clinic:manage-patient-toggle", args=[patient.pk]), {"reason": "Abusive calls"}
    )


def test_it_asks_about_the_future_bookings_after_disabling(admin_client, patient, booked):
    response = _disable(admin_client, patient)

    page_url = reverse("scheduling:patient-future-bookings", args=[patient.pk])
    assert response["Location"] == page_url
    page = admin_client.get(page_url)
    assert "Cancel them and tell the patient" in page.text
    assert page.text.count("Wed 2 Dec 2026") + page.text.count("Thu 3 Dec 2026") == 2


def test_it_cancels_them_and_tells_the_patient_once_each(
    admin_client, patient, booked, django_capture_on_commit_callbacks
):
    _disable(admin_client, patient)
    url = reverse("scheduling:patient-future-bookings", args=[patient.pk])
    mail.outbox.clear()

    missing = admin_client.post(url, {"decision": "cancel"})
    with django_capture_on_commit_callbacks(execute=True):
        done = admin_client.post(
            url, {"decision": "cancel", "reason": "Account closed"}, follow=True
        )

    assert missing.status_code == 422
    assert "Please tell the patient why." in missing.text
    assert "2 bookings cancelled; the patient is told." in done.text
    assert set(Appointment.objects.values_list("status", flat=True)) == {"cancelled"}
    assert len(mail.outbox) == 2
    assert all("Reason: Account closed" in m.body for m in mail.outbox)


def test_it_keeps_them_when_told_to(admin_client, patient, booked):
    _disable(admin_client, patient)

    admin_client.post(
        reverse("scheduling:patient-future-bookings", args=[patient.pk]), {"decision": "keep"}
    )

    assert set(Appointment.objects.values_list("status", flat=True)) == {"booked"}


def test_it_goes_straight_back_when_there_are_none(admin_client, patient):
    _disable(admin_client, patient)

    response = admin_client.get(reverse("scheduling:patient-future-bookings", args=[patient.pk]))

    assert response["Location"] == reverse("clinic:manage-patient-detail", args=[patient.pk])
