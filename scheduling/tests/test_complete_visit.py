"""The doctor completes a visit with its record on one form."""

import pytest
from django.urls import reverse

from clinic.models import PrescriptionItem, Treatment
from clinic.tests.factories import DoctorFactory, PatientFactory
from scheduling.models import Appointment
from scheduling.tests.factories import book, local

pytestmark = pytest.mark.django_db


@pytest.fixture
def appointment(open_doctor, patient):
    return book(patient, open_doctor, local("2026-12-02 10:00"), reason="Cough")


@pytest.fixture
def started(appointment, clinic_now):
    clinic_now.move_to(local("2026-12-02 10:05"))
    return appointment


def _url(appointment):
    return reverse("scheduling:appointment-complete-record", args=[appointment.pk])


def _post(**overrides):
    data = {
        "diagnosis": "Acute upper respiratory infection",
        "icd10_code": "j069",
        "notes": "Steam inhalation, rest.",
        "next_visit_on": "2026-12-16",
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "20",
        "items-0-medicine": "Paracetamol",
        "items-0-dosage": "500 mg",
        "items-0-frequency": "Three times a day",
        "items-0-duration_days": "5",
        "items-0-instructions": "After meals",
        "items-1-medicine": "Cetirizine",
        "items-1-dosage": "10 mg",
        "items-1-frequency": "At night",
        "items-1-duration_days": "7",
    }
    data.update(overrides)
    return data


def test_it_completes_the_visit_with_a_two_line_prescription(client, started, open_doctor):
    client.force_login(open_doctor.user)
    form = client.get(_url(started))
    assert form.status_code == 200
    assert 'name="items-TOTAL_FORMS"' in form.text

    response = client.post(_url(started), _post(), follow=True)

    started.refresh_from_db()
    treatment = started.treatment
    assert started.status == Appointment.Status.COMPLETED
    assert started.completed_at == local("2026-12-02 10:05")
    assert treatment.doctor == open_doctor
    assert treatment.patient == started.patient
    assert str(treatment.visit_date) == "2026-12-02"
    assert treatment.icd10_code == "J06.9"
    assert str(treatment.next_visit_on) == "2026-12-16"
    assert [i.medicine for i in treatment.items.all()] == ["Paracetamol", "Cetirizine"]
    assert response.redirect_chain[-1][0] == reverse("clinic:treatment-detail", args=[treatment.pk])
    assert f"Visit of {started.patient} completed and recorded." in response.text
    assert "Paracetamol" in response.text


def test_it_links_the_doctor_day_view_to_the_form(client, started, open_doctor):
    client.force_login(open_doctor.user)

    response = client.get(reverse("scheduling:doctor-home"))

    assert f'href="{_url(started)}"' in response.text


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"items-1-medicine": ""}, "Give the medicine&#x27;s name."),
        ({"items-1-duration_days": "-3"}, "The duration must be at least one day."),
        ({"icd10_code": "XYZ.1"}, "XYZ.1 is not an ICD-10 code"),
        ({"diagnosis": ""}, "This field is required."),
        ({"next_visit_on": "2026-12-02"}, "The next visit must be on a later day."),
    ],
)
def test_it_shows_errors_on_the_page_and_saves_nothing(
    client, started, open_doctor, overrides, message
):
    client.force_login(open_doctor.user)

    response = client.post(_url(started), _post(**overrides))

    assert response.status_code == 422
    assert message in response.text
    assert 'value="Paracetamol"' in response.text  # what was typed is kept
    started.refresh_from_db()
    assert started.status == Appointment.Status.BOOKED
    assert started.treatment is None
    assert not Treatment.objects.exists()
    assert not PrescriptionItem.objects.exists()


def test_it_drops_lines_marked_for_removal_and_blank_lines(client, started, open_doctor):
    client.force_login(open_doctor.user)

    client.post(
        _url(started),
        _post(**{"items-TOTAL_FORMS": "3", "items-1-DELETE": "on", "items-1-duration_days": "-1"}),
    )

    started.refresh_from_db()
    assert [i.medicine for i in started.treatment.items.all()] == ["Paracetamol"]


def test_it_refuses_before_the_start(client, appointment, open_doctor, clinic_now):
    clinic_now.move_to(local("2026-12-02 09:55"))
    client.force_login(open_doctor.user)

    page = client.get(_url(appointment), follow=True)
    response = client.post(_url(appointment), _post(), follow=True)

    assert "This visit has not started yet." in page.text
    assert "This visit has not started yet." in response.text
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.BOOKED
    assert not Treatment.objects.exists()


def test_it_refuses_after_the_end_of_that_day(client, appointment, open_doctor, clinic_now):
    clinic_now.move_to(local("2026-12-03 00:01"))
    client.force_login(open_doctor.user)

    response = client.post(_url(appointment), _post(), follow=True)

    assert "A visit can only be completed on its day." in response.text
    assert not Treatment.objects.exists()


def test_it_refuses_a_cancelled_appointment(client, started, open_doctor):
    Appointment.objects.filter(pk=started.pk).update(status=Appointment.Status.CANCELLED)
    client.force_login(open_doctor.user)

    response = client.post(_url(started), _post(), follow=True)

    assert "This appointment was cancelled, so it can no longer be completed." in response.text
    assert not Treatment.objects.exists()


def test_it_refuses_to_complete_twice(client, started, open_doctor):
    client.force_login(open_doctor.user)
    client.post(_url(started), _post())

    again = client.post(_url(started), _post(), follow=True)

    assert "This appointment has already been completed." in again.text
    assert Treatment.objects.count() == 1


def test_it_gives_404_for_another_doctors_appointment(client, started):
    client.force_login(DoctorFactory().user)

    assert client.get(_url(started)).status_code == 404
    assert client.post(_url(started), _post()).status_code == 404
    started.refresh_from_db()
    assert started.status == Appointment.Status.BOOKED


@pytest.mark.parametrize("client_fixture", ["patient_client", "admin_client"])
def test_it_is_only_for_doctors(request, started, client_fixture):
    client = request.getfixturevalue(client_fixture)

    assert client.post(_url(started), _post()).status_code == 403
    assert not Treatment.objects.exists()


def test_it_refuses_another_patients_overlap_free_double_record(client, started, open_doctor):
    """The record belongs to the appointment's patient, whatever the form says."""
    other = PatientFactory()
    client.force_login(open_doctor.user)

    client.post(_url(started), _post(patient=other.pk))

    assert Treatment.objects.get().patient == started.patient


def test_it_takes_the_patient_from_the_record_to_the_follow_up_booking(
    client, started, open_doctor, patient, clinic_now
):
    """Done when: the doctor records a two-line prescription, the patient reads it,
    prints it and books the suggested follow-up.
    """
    client.force_login(open_doctor.user)
    client.post(_url(started), _post(next_visit_on="2026-12-05"))
    treatment = Treatment.objects.get()
    clinic_now.move_to(local("2026-12-02 18:00"))
    client.force_login(patient.user)

    history = client.get(reverse("clinic:history-mine"))
    printed = client.get(reverse("clinic:prescription-print", args=[treatment.pk]))
    home = client.get(reverse("scheduling:patient-home"))
    book_url = reverse("scheduling:appointment-book", args=[open_doctor.pk]) + "?day=2026-12-05"
    picker = client.get(book_url)
    booked = client.post(
        reverse("scheduling:appointment-book", args=[open_doctor.pk]),
        {"start": local("2026-12-05 09:30").isoformat(), "reason": "Follow-up"},
        follow=True,
    )

    assert "Paracetamol" in history.text
    assert "Cetirizine" in history.text
    assert "Cetirizine" in printed.text
    assert f'href="{book_url}"' in home.text
    assert ">09:30</a>" in picker.text
    assert booked.status_code == 200
    assert Appointment.objects.filter(
        patient=patient, start=local("2026-12-05 09:30"), status=Appointment.Status.BOOKED
    ).exists()
    assert 'id="follow-up"' not in client.get(reverse("scheduling:patient-home")).text


def test_it_locks_and_saves_the_appointment_once(started, open_doctor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from scheduling import services

    with CaptureQueriesContext(connection) as queries:
        services.appointment_complete_with_treatment(
            appointment=started, by=open_doctor.user, diagnosis="Acute bronchitis"
        )

    sql = [q["sql"] for q in queries.captured_queries]
    updates = [q for q in sql if q.startswith('UPDATE "scheduling_appointment"')]
    assert len(updates) == 1
    assert '"treatment_id"' in updates[0]
    assert '"status"' in updates[0]
    if connection.vendor == "postgresql":  # SQLite has no row locks (one writer at a time)
        assert len([q for q in sql if "FOR UPDATE" in q]) == 1
    started.refresh_from_db()
    assert started.status == Appointment.Status.COMPLETED
    assert started.treatment.diagnosis == "Acute bronchitis"
