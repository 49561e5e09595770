"""The admin dashboard's figures (reports.selectors) against a known month."""

from datetime import date

import pytest

from clinic.tests.factories import DepartmentFactory, DoctorFactory, PatientFactory
from reports import selectors
from scheduling.tests.factories import local, past_visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(hospital):
    return selectors.dashboard_figures()


def test_it_counts_departments_doctors_and_patients(figures):
    assert figures["counts"] == {
        "departments": 3,  # the closed wing is not counted
        "doctors": 3,
        "patients": 4,
        "disabled_accounts": 0,
    }


def test_it_counts_appointments_today_this_week_and_by_status(figures):
    appointments = figures["appointments"]

    assert appointments["today"] == 2  # 10:00 and 23:45; not 00:15 tomorrow
    assert appointments["week"] == 7  # Monday 30 November to Sunday 6 December
    assert appointments["week_start"] == date(2026, 11, 30)
    assert appointments["total"] == 12
    assert {row["status"]: row["count"] for row in appointments["by_status"]} == {
        "booked": 3,
        "arrived": 0,
        "completed": 6,
        "cancelled": 1,
        "no_show": 2,
    }


def test_it_counts_appointments_per_clinic_day_by_status(figures):
    per_day = figures["per_day"]
    rows = {row["day"]: row["counts"] for row in per_day["rows"] if row["total"]}

    assert len(per_day["rows"]) == 30
    assert per_day["rows"][0]["day"] == date(2026, 11, 2)
    assert per_day["rows"][-1]["day"] == date(2026, 12, 1)
    assert [s["status"] for s in per_day["series"]] == [
        "booked",
        "arrived",
        "completed",
        "cancelled",
        "no_show",
    ]
    # booked, arrived, completed, cancelled, no-show
    assert rows == {
        date(2026, 11, 2): [0, 0, 1, 0, 0],
        date(2026, 11, 28): [0, 0, 1, 0, 1],
        date(2026, 11, 29): [0, 0, 0, 0, 1],
        date(2026, 11, 30): [0, 0, 3, 1, 0],
        date(2026, 12, 1): [2, 0, 0, 0, 0],
    }


def test_it_gives_the_chart_the_same_numbers_as_the_table(figures):
    chart = figures["chart_data"]["perDay"]

    assert chart["labels"][0] == "2 Nov"
    assert chart["labels"][-1] == "1 Dec"
    for position, series in enumerate(chart["series"]):
        assert series["data"] == [row["counts"][position] for row in figures["per_day"]["rows"]]


def test_it_counts_appointments_per_department(figures):
    rows = [
        (d["name"], d["total"], d["completed"], d["no_show"], d["cancelled"], d["booked"])
        for d in figures["departments"]
    ]

    assert rows == [
        ("Cardiology", 6, 4, 1, 1, 0),
        ("Dermatology", 4, 1, 1, 0, 2),
        ("Neurology", 0, 0, 0, 0, 0),
    ]
    assert figures["chart_data"]["perDepartment"] == {
        "labels": ["Cardiology", "Dermatology", "Neurology"],
        "data": [6, 4, 0],
    }


def test_it_gives_the_no_show_rate_of_known_outcomes_by_department(figures):
    assert [(d["name"], d["no_show_rate"]) for d in figures["departments"]] == [
        ("Cardiology", 20.0),  # 1 of 5 completed or missed
        ("Dermatology", 50.0),  # 1 of 2; the booked ones are not known yet
        ("Neurology", None),
    ]
    assert figures["chart_data"]["noShowRate"] == {
        "labels": ["Cardiology", "Dermatology"],
        "data": [20.0, 50.0],
    }


def test_it_ranks_doctors_by_completed_visits_in_the_30_days(figures):
    assert [(d["name"], d["department"], d["completed"]) for d in figures["busiest_doctors"]] == [
        ("Dr. Anil Arora", "Cardiology", 3),  # not the one on 1 November
        ("Dr. Bina Bose", "Cardiology", 1),
        ("Dr. Chetan Chopra", "Dermatology", 1),
    ]
    assert figures["chart_data"]["busiestDoctors"] == {
        "labels": ["Dr. Anil Arora", "Dr. Bina Bose", "Dr. Chetan Chopra"],
        "data": [3, 1, 1],
    }


def test_it_lists_at_most_ten_busiest_doctors(clinic_now):
    department = DepartmentFactory()
    patient = PatientFactory()
    for n in range(12):
        doctor = DoctorFactory(department=department, last_name=f"Doctor {n:02d}")
        for visit in range(n % 3 + 1):
            past_visit(patient, doctor, local(f"2026-11-{10 + n:02d} {9 + visit:02d}:00"))

    doctors = selectors.dashboard_figures()["busiest_doctors"]

    assert len(doctors) == 10
    assert [d["completed"] for d in doctors] == [3, 3, 3, 3, 2, 2, 2, 2, 1, 1]


def test_it_shows_an_empty_hospital(db, clinic_now):
    figures = selectors.dashboard_figures()

    assert figures["appointments"]["total"] == 0
    assert all(row["total"] == 0 for row in figures["per_day"]["rows"])
    assert figures["departments"] == []
    assert figures["busiest_doctors"] == []
    assert figures["chart_data"]["noShowRate"] == {"labels": [], "data": []}


def test_it_counts_the_most_frequent_diagnoses_of_the_last_30_days(hospital, clinic_now):
    from clinic.tests.factories import TreatmentFactory
    from reports.selectors import dashboard_figures
    from scheduling.tests.factories import local

    clinic_now.move_to(local("2026-10-20 12:00"))
    TreatmentFactory(doctor=hospital["arora"], diagnosis="Old case", icd10_code="")
    clinic_now.move_to(local("2026-11-20 12:00"))
    TreatmentFactory(doctor=hospital["arora"])
    TreatmentFactory(doctor=hospital["bose"])
    # One code, three ways of writing it: one row for I10.
    for text in ("Essential hypertension", "HTN", "High BP"):
        TreatmentFactory(doctor=hospital["bose"], diagnosis=text, icd10_code="I10")
    TreatmentFactory(doctor=hospital["bose"], diagnosis="Back pain", icd10_code="")
    clinic_now.move_to(local("2026-12-01 08:00"))

    figures = dashboard_figures()

    assert figures["diagnoses"] == [
        {"diagnosis": "Essential (primary) hypertension", "code": "I10", "count": 3},
        {
            "diagnosis": "Acute upper respiratory infection, unspecified",
            "code": "J06.9",
            "count": 2,
        },
        {"diagnosis": "Back pain", "code": "", "count": 1},
    ]
