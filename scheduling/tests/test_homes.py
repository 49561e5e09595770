"""The doctor's day, the patient's home and the admins' appointment list."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clinic.tests.factories import DoctorFactory, PatientFactory, TreatmentFactory
from scheduling import services
from scheduling.models import Appointment
from scheduling.tests.factories import book, local, open_every_day, past_visit

pytestmark = pytest.mark.django_db

LIST = reverse("scheduling:appointment-list")


def test_it_shows_the_doctor_today_the_week_and_their_patients(client, open_doctor, clinic_now):
    today = book(PatientFactory(first_name="Tina"), open_doctor, local("2026-12-01 11:00"))
    book(PatientFactory(first_name="Wendy"), open_doctor, local("2026-12-03 09:00"))
    book(PatientFactory(first_name="Nextweek"), open_doctor, local("2026-12-07 09:00"))
    client.force_login(open_doctor.user)
    clinic_now.move_to(local("2026-12-01 11:05"))

    response = client.get(reverse("scheduling:doctor-home"))

    today_section = response.text.split('id="today"')[1].split('id="week"')[0]
    week_section = response.text.split('id="week"')[1].split('id="patients"')[0]
    assert "Today's appointments (1)" in response.text
    assert "Tina" in today_section
    assert reverse("scheduling:appointment-complete-record", args=[today.pk]) in today_section
    assert "Wendy" in week_section
    assert "Nextweek" not in week_section  # Monday 7 December is next week
    assert "Nextweek" in response.text.split('id="patients"')[1]


def test_it_shows_the_patient_upcoming_past_and_departments(patient_client, open_doctor, patient):
    past_visit(patient, open_doctor, local("2026-11-20 09:00"))
    upcoming = book(patient, open_doctor, local("2026-12-02 09:00"))

    response = patient_client.get(reverse("scheduling:patient-home"))

    upcoming_part = response.text.split('id="upcoming"')[1].split('id="departments"')[0]
    past_part = response.text.split('id="past"')[1]
    assert "Wed 2 Dec 2026, 09:00" in upcoming_part
    assert reverse("scheduling:appointment-cancel", args=[upcoming.pk]) in upcoming_part
    assert "20 Nov 2026, 09:00" in past_part
    assert "Completed" in past_part
    assert open_doctor.department.name in response.text


def test_it_shows_an_empty_patient_home(patient_client):
    response = patient_client.get(reverse("scheduling:patient-home"))

    assert "You have no upcoming appointments." in response.text
    assert "No past appointments yet." in response.text


def _many(n, clinic_now):
    """n appointments over a few doctors and patients."""
    doctors = [DoctorFactory() for _ in range(3)]
    for d in doctors:
        open_every_day(d, "08:00", "20:00")
    patients = [PatientFactory() for _ in range(n)]
    start = local("2026-12-02 09:00")
    for i, p in enumerate(patients):
        book(p, doctors[i % 3], start + timedelta(minutes=15 * (i // 3)))
    return doctors


@pytest.mark.parametrize("rows", [5, 50])
def test_it_lists_appointments_in_a_bounded_number_of_queries(
    admin_client, clinic_now, rows, django_assert_max_num_queries
):
    _many(rows, clinic_now)

    with django_assert_max_num_queries(5):
        response = admin_client.get(LIST)

    assert f'id="result-count">{rows} appointments</p>' in response.text


def test_it_uses_the_same_queries_for_5_and_50_rows(admin_client, clinic_now):
    _many(5, clinic_now)
    admin_client.get(LIST)  # the admin is read once, then kept (accounts.person_cache)
    with CaptureQueriesContext(connection) as few:
        admin_client.get(LIST)
    _many(45, clinic_now)
    with CaptureQueriesContext(connection) as many:
        admin_client.get(LIST)

    assert len(few) == len(many)


def test_it_filters_appointments_by_doctor_status_department_and_dates(admin_client, clinic_now):
    doctors = _many(6, clinic_now)
    chosen = Appointment.objects.filter(doctor=doctors[0]).first()
    services.appointment_cancel(appointment=chosen, by=chosen.patient.user)

    by_doctor = admin_client.get(LIST, {"doctor": doctors[1].pk})
    by_status = admin_client.get(LIST, {"status": "cancelled"})
    by_department = admin_client.get(LIST, {"department": doctors[2].department.pk})
    by_dates = admin_client.get(LIST, {"date_from": "2026-12-03", "date_to": "2026-12-05"})
    by_patient = admin_client.get(LIST, {"q": chosen.patient.patient_number})

    assert "2 appointments" in by_doctor.text
    assert 'id="result-count">1 appointment</p>' in by_status.text
    assert str(chosen.patient) in by_status.text
    assert "2 appointments" in by_department.text
    assert "No appointments match these filters." in by_dates.text
    assert 'id="result-count">1 appointment</p>' in by_patient.text


def test_it_explains_a_backwards_date_range(admin_client):
    response = admin_client.get(LIST, {"date_from": "2026-12-05", "date_to": "2026-12-01"})

    assert "The end date must be on or after the start date." in response.text


def test_it_serves_the_filtered_list_as_an_htmx_fragment(admin_client, clinic_now):
    _many(3, clinic_now)

    response = admin_client.get(LIST, {"status": "booked"}, headers={"HX-Request": "true"})

    assert response.text.lstrip().startswith('<div id="results">')
    assert "3 appointments" in response.text


def test_it_paginates_the_list(admin_client, clinic_now):
    _many(30, clinic_now)

    first = admin_client.get(LIST)
    second = admin_client.get(LIST, {"page": 2})

    assert "Page 1 of 2" in first.text
    assert len(re.findall(r'href="/appointments/\d+/"', first.text)) == 25
    assert len(re.findall(r'href="/appointments/\d+/"', second.text)) == 5


def test_it_lists_walk_in_patients_among_the_doctors_patients(client, open_doctor, clinic_now):
    booked = book(PatientFactory(first_name="Booked"), open_doctor, local("2026-12-02 09:00"))
    walk_in = TreatmentFactory(doctor=open_doctor, patient=PatientFactory(first_name="Walkin"))
    TreatmentFactory(patient=PatientFactory(first_name="Elsewhere"))
    client.force_login(open_doctor.user)

    patients = client.get(reverse("scheduling:doctor-home")).text.split('id="patients"')[1]

    assert patients.index("Booked") < patients.index("Walkin")
    assert "walk-in only" in patients
    assert "Elsewhere" not in patients
    assert reverse("clinic:patient-history", args=[walk_in.patient.pk]) in patients
    assert reverse("clinic:patient-history", args=[booked.patient.pk]) in patients


def test_it_lists_a_cancelled_visit_still_ahead_with_the_upcoming_ones(
    patient_client, open_doctor, patient
):
    ahead = book(patient, open_doctor, local("2026-12-03 09:00"))
    services.appointment_cancel(appointment=ahead, by=patient.user, reason="")
    past_visit(patient, open_doctor, local("2026-11-20 09:00"), status="cancelled")

    response = patient_client.get(reverse("scheduling:patient-home"))

    upcoming_part = response.text.split('id="upcoming"')[1].split('id="departments"')[0]
    past_part = response.text.split('id="past"')[1]
    assert "Thu 3 Dec 2026, 09:00" in upcoming_part
    assert "Cancelled" in upcoming_part
    assert reverse("scheduling:appointment-cancel", args=[ahead.pk]) not in upcoming_part
    assert "Too close to change online" not in upcoming_part
    assert "3 Dec 2026" not in past_part
    assert "20 Nov 2026, 09:00" in past_part  # a cancelled visit gone by is past


def test_it_says_when_the_list_filter_ends_before_it_starts(admin_client, clinic_now):
    params = {"date_from": "2026-12-10", "date_to": "2026-12-01"}

    page = admin_client.get(LIST, params)
    swap = admin_client.get(LIST, params, headers={"HX-Request": "true"})

    for response in (page, swap):
        errors = response.text.split('id="filter-errors"')[1].split("</div>")[0]
        assert "To: The end date must be on or after the start date." in errors
