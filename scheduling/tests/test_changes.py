"""Rescheduling, cancelling and recording attendance, through the pages."""

import pytest
from django.core import mail
from django.urls import reverse

from clinic.tests.factories import PatientFactory
from scheduling.models import SLOT_TAKEN, Appointment
from scheduling.tests.factories import book, local
from scheduling.tests.test_booking import _key

pytestmark = pytest.mark.django_db


@pytest.fixture
def appointment(open_doctor, patient):
    return book(patient, open_doctor, local("2026-12-02 10:00"), reason="Check-up")


def _url(name, appointment):
    return reverse(f"scheduling:{name}", args=[appointment.pk])


def test_it_shows_the_patient_their_appointment_with_its_actions(patient_client, appointment):
    response = patient_client.get(_url("appointment-detail", appointment))

    assert response.status_code == 200
    assert "Wednesday 2 December 2026, 10:00" in response.text
    assert "Check-up" in response.text
    assert _url("appointment-reschedule", appointment) in response.text
    assert _url("appointment-cancel", appointment) in response.text
    assert _url("appointment-complete", appointment) not in response.text


def test_it_reschedules_to_another_free_slot_and_frees_the_old_one(
    patient_client, appointment, open_doctor
):
    picker = patient_client.get(_url("appointment-reschedule", appointment), {"day": "2026-12-02"})
    assert ">10:00</a>" in picker.text  # its own time is offered as free in the picker

    response = patient_client.post(
        _url("appointment-reschedule", appointment),
        {"start": _key("2026-12-03 11:30")},
        follow=True,
    )

    appointment.refresh_from_db()
    assert appointment.start == local("2026-12-03 11:30")
    assert appointment.status == Appointment.Status.BOOKED
    assert "Moved to Thursday 3 December at 11:30." in response.text
    other = book(PatientFactory(), open_doctor, local("2026-12-02 10:00"))
    assert other.status == Appointment.Status.BOOKED


def test_it_refuses_to_reschedule_onto_a_taken_slot(patient_client, appointment, open_doctor):
    book(PatientFactory(), open_doctor, local("2026-12-03 11:30"))

    response = patient_client.post(
        _url("appointment-reschedule", appointment), {"start": _key("2026-12-03 11:30")}
    )

    assert response.status_code == 422
    assert str(SLOT_TAKEN) in response.text
    appointment.refresh_from_db()
    assert appointment.start == local("2026-12-02 10:00")


def test_it_loads_reschedule_slots_as_an_htmx_fragment(patient_client, appointment):
    response = patient_client.get(
        _url("appointment-reschedule", appointment),
        {"day": "2026-12-04"},
        headers={"HX-Request": "true"},
    )

    assert response.text.lstrip().startswith('<div id="slot-picker">')
    assert "Friday 4 December" in response.text


def test_it_cancels_after_confirmation_and_frees_the_slot(
    patient_client, appointment, django_capture_on_commit_callbacks
):
    confirm = patient_client.get(_url("appointment-cancel", appointment))
    assert "Cancel this appointment?" in confirm.text
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.BOOKED

    with django_capture_on_commit_callbacks(execute=True):
        response = patient_client.post(_url("appointment-cancel", appointment), {}, follow=True)

    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED
    assert appointment.cancelled_by == appointment.patient.user
    assert "its slot is free again" in response.text
    (notice,) = mail.outbox  # their own cancellation confirmed, with no reason asked
    assert "has been cancelled by you." in notice.body
    assert "Reason:" not in notice.body
    again = book(PatientFactory(), appointment.doctor, appointment.start)
    assert again.status == Appointment.Status.BOOKED


def test_it_refuses_patient_changes_after_the_cutoff(patient_client, appointment, clinic_now):
    clinic_now.move_to(local("2026-12-02 08:30"))  # 90 minutes before, the cutoff is 2 hours

    cancel = patient_client.post(_url("appointment-cancel", appointment), {}, follow=True)
    move = patient_client.post(
        _url("appointment-reschedule", appointment),
        {"start": _key("2026-12-03 11:30")},
        follow=True,
    )
    home = patient_client.get(reverse("scheduling:patient-home"))

    message = "Appointments can only be cancelled up to 2 hours before they start."
    assert message in cancel.text
    assert "can only be moved up to 2 hours before" in move.text
    assert "Too close to change online" in home.text
    # Each refusal gives the number to call.
    for response in (cancel, move, home):
        assert "call the front desk on +91 80 4000 1234" in response.text
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.BOOKED
    assert appointment.start == local("2026-12-02 10:00")


def test_it_lets_the_doctor_cancel_with_a_reason_and_emails_the_patient(
    client, appointment, open_doctor, django_capture_on_commit_callbacks
):
    client.force_login(open_doctor.user)

    missing = client.post(_url("appointment-cancel", appointment), {"reason": "  "})
    assert missing.status_code == 422
    assert "This field is required." in missing.text
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("appointment-cancel", appointment), {"reason": "Called into surgery"})

    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED
    assert appointment.cancellation_reason == "Called into surgery"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [appointment.patient.user.email]
    assert mail.outbox[0].subject.startswith("Cancelled: your appointment on 2 Dec 2026")
    assert f"has been cancelled by {open_doctor}." in mail.outbox[0].body
    assert "Reason: Called into surgery" in mail.outbox[0].body


def test_it_lets_an_admin_cancel_any_appointment(admin_client, appointment):
    admin_client.post(_url("appointment-cancel", appointment), {"reason": "Clinic closed"})

    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED


def test_it_marks_no_show_only_after_the_start(client, appointment, open_doctor, clinic_now):
    client.force_login(open_doctor.user)

    early = client.post(_url("appointment-no-show", appointment), follow=True)
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.BOOKED
    assert "This visit has not started yet." in early.text

    clinic_now.move_to(local("2026-12-02 10:20"))
    client.post(_url("appointment-no-show", appointment))
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.NO_SHOW

    again = client.post(_url("appointment-complete", appointment), follow=True)
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.NO_SHOW
    assert "already no-show" in again.text


def test_it_treats_next_as_a_path_never_a_url_name(admin_client, appointment):
    # Found by the form fuzzer: redirect("0") tried to reverse a view named "0".
    response = admin_client.post(_url("appointment-no-show", appointment), {"next": "0"})

    assert response.status_code == 302
    assert response["Location"] == "0"


def test_it_completes_a_started_visit(client, appointment, open_doctor, clinic_now):
    client.force_login(open_doctor.user)
    clinic_now.move_to(local("2026-12-02 10:05"))

    response = client.post(
        _url("appointment-complete", appointment),
        {"next": reverse("scheduling:doctor-home")},
        follow=True,
    )

    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.COMPLETED
    assert appointment.completed_at is not None
    assert response.redirect_chain[-1][0] == reverse("scheduling:doctor-home")
    assert f"Visit of {appointment.patient} completed." in response.text


def test_it_ignores_an_off_site_next_address(client, appointment, open_doctor, clinic_now):
    client.force_login(open_doctor.user)
    clinic_now.move_to(local("2026-12-02 10:05"))

    response = client.post(
        _url("appointment-complete", appointment), {"next": "https://evil.example/"}
    )

    assert response["Location"] == _url("appointment-detail", appointment)


def test_it_refuses_attendance_from_a_patient(patient_client, appointment, clinic_now):
    clinic_now.move_to(local("2026-12-02 10:05"))

    response = patient_client.post(_url("appointment-complete", appointment))

    assert response.status_code == 403
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.BOOKED
