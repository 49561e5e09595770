"""The figures at the top of the doctor's home: today, this month, the next patient."""

import pytest
from django.urls import reverse

from clinic.tests.factories import DoctorFactory, PatientFactory
from scheduling import selectors
from scheduling.models import Appointment
from scheduling.tests.factories import book, local, past_visit

pytestmark = pytest.mark.django_db

HOME = reverse("scheduling:doctor-home")
Status = Appointment.Status


@pytest.fixture
def day(open_doctor):
    """Tuesday 1 December 2026 at 08:00, the doctor's visits around it."""
    visit = past_visit
    visit(PatientFactory(), open_doctor, local("2026-11-30 23:50"))  # November
    visit(PatientFactory(), open_doctor, local("2026-12-01 00:10"))  # December, November in UTC
    visit(PatientFactory(), open_doctor, local("2026-12-01 06:00"), Status.NO_SHOW)
    visit(PatientFactory(), open_doctor, local("2026-12-01 07:00"))
    visit(PatientFactory(), open_doctor, local("2026-12-01 07:45"), Status.BOOKED)  # running late
    visit(PatientFactory(), open_doctor, local("2026-12-01 08:30"), Status.CANCELLED)
    tina = book(PatientFactory(first_name="Tina"), open_doctor, local("2026-12-01 09:00"))
    wendy = book(PatientFactory(first_name="Wendy"), open_doctor, local("2026-12-02 09:00"))
    other = DoctorFactory()
    visit(PatientFactory(), other, local("2026-12-01 07:00"))
    visit(PatientFactory(), other, local("2026-12-01 08:45"), Status.BOOKED)
    return {"tina": tina, "wendy": wendy}


def test_it_counts_today_without_cancellations_in_the_clinic_day(open_doctor, day):
    figures = selectors.doctor_figures(doctor=open_doctor)

    assert figures.today == 5  # 00:10, 06:00, 07:00, 07:45 and 09:00; not 08:30 nor 23:50


def test_it_counts_the_completed_visits_of_the_local_month(open_doctor, day):
    figures = selectors.doctor_figures(doctor=open_doctor)

    assert figures.month_completed == 2  # 00:10 and 07:00 on 1 December


def test_it_gives_the_next_booked_appointment_from_now(open_doctor, day, clinic_now):
    assert selectors.doctor_figures(doctor=open_doctor).next_appointment == day["tina"]

    clinic_now.move_to(local("2026-12-01 09:05"))

    assert selectors.doctor_figures(doctor=open_doctor).next_appointment == day["wendy"]


def test_it_has_nothing_for_a_new_doctor(open_doctor):
    figures = selectors.doctor_figures(doctor=open_doctor)

    assert (figures.today, figures.month_completed, figures.next_appointment) == (0, 0, None)


def test_it_reads_the_figures_in_two_queries(open_doctor, day, django_assert_num_queries):
    with django_assert_num_queries(2):
        figures = selectors.doctor_figures(doctor=open_doctor)
        str(figures.next_appointment.patient)  # the next patient comes with the people


def test_it_shows_the_figures_above_the_day(client, open_doctor, day):
    client.force_login(open_doctor.user)

    response = client.get(HOME)

    html = response.text
    figures = html.split('id="figures"')[1].split('id="today"')[0]
    assert 'id="figure-today">5</div>' in figures
    assert 'id="figure-month">2</div>' in figures
    assert "Completed visits this month" in figures
    assert "December 2026" in figures
    nxt = figures.split('id="next-patient"')[1]
    assert "Tina" in nxt
    assert "Tue 1 Dec, 09:00" in nxt
    assert reverse("scheduling:appointment-detail", args=[day["tina"].pk]) in nxt
    assert html.index('id="today"') < html.index('id="week"') < html.index('id="patients"')


def test_it_says_when_no_patient_is_booked(client, open_doctor):
    client.force_login(open_doctor.user)

    response = client.get(HOME)

    assert "No upcoming bookings." in response.text.split('id="next-patient"')[1]
    assert 'id="figure-today">0</div>' in response.text


def test_it_takes_the_next_appointment_from_the_week_read_for_the_page(
    open_doctor, day, clinic_now, django_assert_num_queries
):
    week = selectors.doctor_week(doctor=open_doctor, today=local("2026-12-01 08:00").date())

    with django_assert_num_queries(1):
        figures = selectors.doctor_figures(doctor=open_doctor, week=week.rows)
        assert str(figures.next_appointment.patient).startswith("Tina")

    assert figures.next_appointment == day["tina"]
    assert (figures.today, figures.month_completed) == (5, 2)
    clinic_now.move_to(local("2026-12-01 09:05"))
    assert (
        selectors.doctor_figures(doctor=open_doctor, week=week.rows).next_appointment
        == day["wendy"]
    )


def test_it_looks_past_the_week_for_the_next_appointment(open_doctor, clinic_now):
    later = book(PatientFactory(first_name="Lena"), open_doctor, local("2026-12-09 09:00"))
    week = selectors.doctor_week(doctor=open_doctor, today=local("2026-12-01 08:00").date())

    assert week.rows == []
    assert selectors.doctor_figures(doctor=open_doctor, week=week.rows).next_appointment == later
