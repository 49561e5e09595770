"""How many queries each main page of each role costs, signed in, with the
caches warm (the page read once before). The session, the person with their
own patient or doctor row (accounts.person_cache), the role, the directory and
the slot grid come from the cache. A page that gains a query fails here.
"""

import pytest
from django.test import Client

from clinic.services import treatment_record
from scheduling.tests.factories import book, local, past_visit

pytestmark = pytest.mark.django_db

# (role, path with {doctor}, {patient}, {appointment}, {department}, queries)
PAGES = [
    ("patient", "/patient/", 4),  # upcoming with offers, past with its count, follow-up, waitlist
    ("patient", "/book/", 0),
    ("patient", "/book/?department={department}", 2),  # Next available: the cached slot grids
    ("patient", "/book/{doctor}/", 0),  # the doctor and the slot grid from the cache
    ("patient", "/departments/", 0),
    ("patient", "/departments/{department}/", 0),
    ("patient", "/doctors/", 1),  # the page of doctors with their count
    ("patient", "/doctors/{doctor}/", 1),
    ("patient", "/appointments/{appointment}/", 1),
    ("patient", "/history/", 3),
    ("patient", "/profile/", 3),  # + break-the-glass reasons in who viewed the record
    ("patient", "/exports/", 1),
    ("doctor", "/doctor/", 5),  # the week, today and the waiting room in one; figures; patients
    ("doctor", "/availability/", 3),
    ("doctor", "/appointments/{appointment}/", 1),
    ("doctor", "/patients/{patient}/history/", 5),
    ("doctor", "/reports/monthly/", 1),
    ("admin", "/hospital/", 0),
    ("admin", "/appointments/", 4),
    ("admin", "/appointments/{appointment}/", 1),
    ("admin", "/manage/doctors/", 1),
    ("admin", "/manage/patients/", 2),
    ("admin", "/manage/patients/{patient}/", 2),
    ("admin", "/manage/departments/", 2),
    ("admin", "/availability/doctors/", 1),
    ("admin", "/availability/doctors/{doctor}/", 3),
]


@pytest.fixture
def world(open_doctor, patient, admin_user):
    visit = past_visit(patient, open_doctor, local("2026-11-20 09:00"))
    visit.treatment = treatment_record(
        patient=patient,
        doctor=open_doctor,
        diagnosis="Seasonal cold",
        items=[
            {
                "medicine": "Paracetamol",
                "dosage": "500 mg",
                "frequency": "twice a day",
                "duration_days": 3,
            }
        ],
        visit_date=visit.start.date(),
    )
    visit.save()
    upcoming = book(patient, open_doctor, local("2026-12-02 09:00"))
    people = {"patient": patient.user, "doctor": open_doctor.user, "admin": admin_user}
    ids = {
        "doctor": open_doctor.pk,
        "patient": patient.pk,
        "appointment": upcoming.pk,
        "department": open_doctor.department.slug,
    }
    return people, ids


@pytest.mark.parametrize(("role", "path", "queries"), PAGES)
def test_it_serves_each_main_page_in_its_number_of_queries(
    world, role, path, queries, django_assert_num_queries
):
    people, ids = world
    client = Client()
    client.force_login(people[role])
    url = path.format(**ids)
    assert client.get(url).status_code == 200  # warms the caches

    with django_assert_num_queries(queries):
        response = client.get(url)

    assert response.status_code == 200


@pytest.mark.parametrize("role", ["patient", "doctor"])
def test_it_costs_the_same_queries_for_many_appointments(
    world, role, open_doctor, patient, django_assert_num_queries
):
    people, _ = world
    for hour in ("10:00", "10:30", "11:00", "11:30", "12:00"):
        book(patient, open_doctor, local(f"2026-12-03 {hour}"))
    for day in ("2026-11-23", "2026-11-24", "2026-11-25"):
        past_visit(patient, open_doctor, local(f"{day} 09:00"))
    client = Client()
    client.force_login(people[role])
    home = {"patient": "/patient/", "doctor": "/doctor/"}[role]
    client.get(home)

    with django_assert_num_queries(dict(PAGES_BY_PATH)[(role, home)]):
        response = client.get(home)

    assert response.text.count("/appointments/") >= 6  # the rows are on the page


PAGES_BY_PATH = [((role, path), queries) for role, path, queries in PAGES]


def test_the_patients_home_costs_four_queries_with_offers_waitlist_and_a_follow_up(
    world, open_doctor, patient, django_assert_num_queries
):
    from datetime import date

    from clinic.tests.factories import DoctorFactory, PatientFactory
    from scheduling import services, waitlist
    from scheduling.tests.factories import open_every_day

    people, _ = world
    other_doctor = DoctorFactory(first_name="Meera", last_name="Kulkarni")
    open_every_day(other_doctor)
    # A slot opens up with the open doctor: held for the patient (an offer).
    theirs = book(PatientFactory(), open_doctor, local("2026-12-03 10:00"))
    waitlist.waitlist_join(
        patient=patient, doctor=open_doctor, first_day=date(2026, 12, 2),
        last_day=date(2026, 12, 4), by=patient.user,
    )  # fmt: skip
    services.appointment_cancel(appointment=theirs, by=theirs.patient.user)
    # Still waiting for another doctor.
    waitlist.waitlist_join(
        patient=patient, doctor=other_doctor, first_day=date(2026, 12, 2),
        last_day=date(2026, 12, 9), by=patient.user,
    )  # fmt: skip
    # A follow-up suggested by the other doctor, and two pages of past visits.
    treatment_record(
        patient=patient, doctor=other_doctor, diagnosis="Check-up",
        next_visit_on=date(2026, 12, 8), visit_date=date(2026, 11, 1),
    )  # fmt: skip
    for day in range(2, 14):
        past_visit(patient, other_doctor, local(f"2026-11-{day:02d} 09:00"))
    client = Client()
    client.force_login(people["patient"])
    client.get("/patient/")

    with django_assert_num_queries(4):
        response = client.get("/patient/")
    with django_assert_num_queries(4):
        second = client.get("/patient/?page=2")
    beyond = client.get("/patient/?page=99")

    text = response.text
    assert "A slot opened up with" in text
    assert "Take this slot" in text
    assert "Your waitlist" in text
    assert "Kulkarni" in text
    assert 'id="follow-up"' in text
    assert "Page 1 of 2" in text
    assert "Page 2 of 2" in second.text
    assert "Page 2 of 2" in beyond.text


def test_next_available_costs_the_same_for_many_doctors(
    world, open_doctor, django_assert_num_queries
):
    from clinic.tests.factories import DoctorFactory
    from scheduling.tests.factories import open_every_day

    people, ids = world
    for _ in range(3):
        open_every_day(DoctorFactory(department=open_doctor.department))
    client = Client()
    client.force_login(people["patient"])
    url = f"/book/?department={ids['department']}"
    client.get(url)

    with django_assert_num_queries(2):
        response = client.get(url)

    assert "Next available" in response.text
