"""The Django admin's appointment list filters by doctor through a search box
(the admin's autocomplete), so the filter costs the same at any number of doctors.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clinic.tests.factories import DoctorFactory, PatientFactory
from scheduling.tests.factories import book, local, open_every_day

pytestmark = pytest.mark.django_db

URL = "/admin/scheduling/appointment/"


def _doctors(n: int) -> list:
    doctors = [DoctorFactory() for _ in range(n)]
    for i, doctor in enumerate(doctors):
        open_every_day(doctor)
        book(
            PatientFactory(),
            doctor,
            local("2026-12-02 09:00") + timedelta(minutes=15 * i),
        )
    return doctors


def test_it_lists_only_the_chosen_doctors_appointments(admin_client, clinic_now):
    doctors = _doctors(3)

    response = admin_client.get(URL, {"doctor__id__exact": doctors[0].pk})

    assert response.status_code == 200
    assert {a.doctor_id for a in response.context["cl"].result_list} == {doctors[0].pk}
    assert 'data-field-name="doctor"' in response.text
    assert f'<option value="{doctors[0].pk}" selected>' in response.text


def test_it_costs_the_same_queries_at_more_doctors(admin_client, clinic_now):
    _doctors(2)
    admin_client.get(URL)
    with CaptureQueriesContext(connection) as few:
        admin_client.get(URL)
    _doctors(12)
    with CaptureQueriesContext(connection) as many:
        response = admin_client.get(URL)

    assert len(many) == len(few)
    box = response.text.split('data-field-name="doctor"')[1].split("</select>")[0]
    assert box.count("<option") == 1  # only the empty choice: no doctor is listed


def test_it_refuses_a_doctor_id_that_is_not_a_number(admin_client):
    response = admin_client.get(URL, {"doctor__id__exact": "not-a-number"})

    assert response.status_code == 302
    assert response.url.endswith("?e=1")


def test_it_finds_doctors_by_name_in_the_search_box(admin_client):
    wanted = DoctorFactory(last_name="Zephyrine")
    DoctorFactory(last_name="Other")

    response = admin_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "scheduling",
            "model_name": "appointment",
            "field_name": "doctor",
            "term": "Zephyr",
        },
    )

    assert [row["id"] for row in response.json()["results"]] == [str(wanted.pk)]
