"""Fifty patients take one slot at once, half through the API and half through
the booking page, on a real PostgreSQL: one is booked, the others are told
no (409 or 422), and nothing is a 5xx.
"""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.services import api_token_issue
from clinic.tests.factories import DoctorFactory, PatientFactory
from scheduling import selectors
from scheduling.models import Appointment
from scheduling.tests.factories import open_every_day

# serialized_rollback: the flush after each test would drop the role groups.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PEOPLE = 50


def test_it_books_one_slot_once_when_api_and_page_bookings_race():
    doctor = DoctorFactory()
    open_every_day(doctor)
    patients = [PatientFactory() for _ in range(PEOPLE)]
    slot = list(selectors.free_slots(doctor=doctor).values())[1][0]
    barrier = threading.Barrier(PEOPLE)

    def through_api(patient):
        raw = api_token_issue(user=patient.user)[1]
        body = json.dumps({"doctor_id": doctor.pk, "start": slot.key})
        client = Client()
        barrier.wait(timeout=60)
        return client.post(
            "/api/v1/appointments",
            body,
            content_type="application/json",
            headers={"Authorization": f"Bearer {raw}"},
        ).status_code

    def through_page(patient):
        client = Client()
        client.force_login(patient.user)
        url = reverse("scheduling:appointment-book", args=[doctor.pk])
        barrier.wait(timeout=60)
        return client.post(url, {"start": slot.key, "reason": ""}).status_code

    def run(numbered):
        number, patient = numbered
        try:
            return (through_api if number % 2 else through_page)(patient)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=PEOPLE) as pool:
        statuses = list(pool.map(run, enumerate(patients)))

    booked = [s for s in statuses if s in (201, 302)]
    assert len(booked) == 1
    assert all(s in (409, 422) for s in statuses if s not in (201, 302)), statuses
    assert not [s for s in statuses if s >= 500]
    assert Appointment.objects.filter(doctor=doctor, start=slot.start).count() == 1
