"""The front desk: booking for patients, check-in, walk-ins, the queue and the
desk's day, through the same services and pages as everyone else.
"""

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import ReceptionFactory
from clinic.services import treatment_record
from clinic.tests.factories import DoctorFactory, PatientFactory
from scheduling import services
from scheduling.models import Appointment
from scheduling.tests.factories import book, local, open_every_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(clinic_now):
    return ReceptionFactory()


@pytest.fixture
def desk_client(desk):
    client = Client()
    client.force_login(desk)
    return client


def _signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def _book_url(doctor, patient):
    return reverse("scheduling:appointment-book", args=[doctor.pk]) + f"?patient={patient.pk}"


# Booking on a patient's behalf


def test_it_books_for_a_patient_on_the_patients_own_booking_page(
    desk_client, desk, open_doctor, patient
):
    page = desk_client.get(_book_url(open_doctor, patient) + "&day=2026-12-02")
    assert page.status_code == 200
    assert f"Booking for {patient}" in page.text
    assert f"patient={patient.pk}&amp;day=" in page.text  # the day tabs keep the patient

    response = desk_client.post(
        _book_url(open_doctor, patient),
        {"start": local("2026-12-02 10:00").isoformat(), "reason": "Phoned in"},
    )

    appointment = Appointment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("scheduling:appointment-detail", args=[appointment.pk])
    assert (appointment.patient, appointment.booked_by) == (patient, desk)
    home = _signed_in(patient.user).get(reverse("scheduling:patient-home"))
    assert reverse("scheduling:appointment-detail", args=[appointment.pk]) in home.text
    detail = desk_client.get(response["Location"])
    assert "Booked by" in detail.text
    assert f"{desk.get_full_name()} (Reception)" in detail.text


def test_it_records_that_a_patient_booked_themself(patient_client, open_doctor, patient):
    appointment = book(patient, open_doctor, local("2026-12-02 10:00"))

    assert appointment.booked_by == patient.user


def test_it_puts_who_booked_in_the_audit_log(desk, open_doctor, patient):
    appointment = services.appointment_book(
        patient=patient, doctor=open_doctor, start=local("2026-12-02 10:00"), by=desk
    )

    entry = LogEntry.objects.get_for_object(appointment).get(action=LogEntry.Action.CREATE)
    assert entry.changes_dict["booked_by"][1] == str(desk.pk)


def test_it_keeps_the_lead_time_and_the_no_double_booking_for_the_desk(
    desk_client, open_doctor, patient, clinic_now
):
    clinic_now.move_to(local("2026-12-01 08:30"))
    too_soon = desk_client.post(
        _book_url(open_doctor, patient), {"start": local("2026-12-01 09:00").isoformat()}
    )
    assert too_soon.status_code == 422
    assert "at least 60 minutes ahead" in too_soon.text
    book(PatientFactory(), open_doctor, local("2026-12-02 10:00"))

    taken = desk_client.post(
        _book_url(open_doctor, patient), {"start": local("2026-12-02 10:00").isoformat()}
    )

    assert taken.status_code == 422
    assert "That slot was just taken" in taken.text
    assert not Appointment.objects.filter(patient=patient).exists()


def test_it_lets_only_the_front_desk_book_for_someone_else(open_doctor, patient):
    other = PatientFactory()

    with pytest.raises(Exception, match="Only the front desk"):
        services.appointment_book(
            patient=patient, doctor=open_doctor, start=local("2026-12-02 10:00"), by=other.user
        )
    assert not Appointment.objects.exists()


def test_it_reschedules_and_cancels_for_a_patient_inside_their_cutoff(
    desk_client, desk, open_doctor, patient, clinic_now
):
    appointment = book(patient, open_doctor, local("2026-12-01 11:00"))
    clinic_now.move_to(local("2026-12-01 10:00"))  # inside the patient's 2-hour cutoff
    assert appointment.reschedule_refusal(by=patient.user) is not None

    moved = desk_client.post(
        reverse("scheduling:appointment-reschedule", args=[appointment.pk]),
        {"start": local("2026-12-01 12:00").isoformat()},
    )
    assert moved.status_code == 302
    appointment.refresh_from_db()
    assert appointment.start == local("2026-12-01 12:00")

    cancel_url = reverse("scheduling:appointment-cancel", args=[appointment.pk])
    assert desk_client.post(cancel_url, {"reason": ""}).status_code == 422
    desk_client.post(cancel_url, {"reason": "Patient phoned: unwell"})
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED
    assert (appointment.cancelled_by, appointment.cancellation_reason) == (
        desk,
        "Patient phoned: unwell",
    )


# What the front desk may not do


def test_it_keeps_the_front_desk_out_of_clinical_records(desk_client, doctor, patient):
    treatment = treatment_record(patient=patient, doctor=doctor, diagnosis="Asthma")

    for url in (
        reverse("clinic:treatment-detail", args=[treatment.pk]),
        reverse("clinic:prescription-print", args=[treatment.pk]),
        reverse("clinic:patient-history", args=[patient.pk]),
    ):
        response = desk_client.get(url)
        assert response.status_code == 404, url
        assert "Asthma" not in response.text


def test_it_keeps_the_front_desk_out_of_the_django_admin(desk_client):
    response = desk_client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_it_sends_the_front_desk_home_from_the_dashboard(desk_client):
    response = desk_client.get(reverse("dashboard"))

    assert response["Location"] == reverse("scheduling:desk")


# Check-in and the queue


@pytest.fixture
def todays(open_doctor, patient):
    return book(patient, open_doctor, local("2026-12-01 10:00"))


def _check_in(client, appointment):
    return client.post(reverse("scheduling:appointment-check-in", args=[appointment.pk]))


def test_it_checks_a_patient_in_with_a_token_and_twice_gives_one_token(
    desk_client, todays, clinic_now
):
    clinic_now.move_to(local("2026-12-01 09:40"))

    first = _check_in(desk_client, todays)
    second = _check_in(desk_client, todays)

    todays.refresh_from_db()
    assert first.status_code == second.status_code == 302
    assert (todays.status, todays.token, todays.queue_day.isoformat()) == (
        "arrived",
        1,
        "2026-12-01",
    )
    assert todays.arrived_at == local("2026-12-01 09:40")
    assert Appointment.objects.filter(token__isnull=False).count() == 1


def test_it_numbers_tokens_per_doctor_and_day(desk, open_doctor):
    other_doctor = DoctorFactory()
    open_every_day(other_doctor)
    mine = [
        book(PatientFactory(), open_doctor, local(f"2026-12-01 {h}")) for h in ("10:00", "11:00")
    ]
    theirs = book(PatientFactory(), other_doctor, local("2026-12-01 10:00"))

    tokens = [
        services.appointment_check_in(appointment=a, by=desk).token
        for a in (mine[1], theirs, mine[0])
    ]

    assert tokens == [1, 1, 2]


def test_it_checks_in_only_on_the_day_of_the_visit(desk_client, open_doctor, patient):
    tomorrow = book(patient, open_doctor, local("2026-12-02 10:00"))

    response = _check_in(desk_client, tomorrow)

    tomorrow.refresh_from_db()
    assert tomorrow.status == "booked"
    assert tomorrow.token is None
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Patients are checked in on the day of their visit."]


def test_it_lets_neither_patients_nor_doctors_check_in(todays, patient, open_doctor):
    for user in (patient.user, open_doctor.user):
        assert _check_in(_signed_in(user), todays).status_code == 403
    todays.refresh_from_db()
    assert todays.status == "booked"


def test_it_completes_an_arrived_visit_through_the_visit_record(
    desk, todays, open_doctor, clinic_now
):
    clinic_now.move_to(local("2026-12-01 09:50"))  # arrived early: seen before the start
    services.appointment_check_in(appointment=todays, by=desk)
    doctor = _signed_in(open_doctor.user)

    response = doctor.post(
        reverse("scheduling:appointment-complete-record", args=[todays.pk]),
        {
            "diagnosis": "Tension headache",
            "items-TOTAL_FORMS": "0",
            "items-INITIAL_FORMS": "0",
            "items-MIN_NUM_FORMS": "0",
            "items-MAX_NUM_FORMS": "20",
        },
    )

    todays.refresh_from_db()
    assert response.status_code == 302
    assert todays.status == "completed"
    assert todays.treatment.diagnosis == "Tension headache"
    assert todays.token == 1  # the token stays on the record


def test_it_shows_the_doctor_the_queue_and_calls_the_next_token(desk, open_doctor, clinic_now):
    first = book(PatientFactory(), open_doctor, local("2026-12-01 11:00"))
    second = book(PatientFactory(), open_doctor, local("2026-12-01 10:00"))
    clinic_now.move_to(local("2026-12-01 09:30"))
    services.appointment_check_in(appointment=first, by=desk)
    clinic_now.move_to(local("2026-12-01 09:45"))
    services.appointment_check_in(appointment=second, by=desk)
    clinic_now.move_to(local("2026-12-01 10:00"))
    doctor = _signed_in(open_doctor.user)

    home = doctor.get(reverse("scheduling:doctor-home"))
    waiting = home.text[home.text.index('id="waiting"') :]
    assert waiting.index(str(first.patient)) < waiting.index(str(second.patient))
    assert "waiting 30 minutes" in waiting
    assert "waiting 15 minutes" in waiting
    assert "Call next (token 1)" in home.text

    doctor.post(reverse("scheduling:queue-call-next"))
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.called_at == local("2026-12-01 10:00")
    assert second.called_at is None
    home = doctor.get(reverse("scheduling:doctor-home"))
    assert f"Now seeing token 1: {first.patient}" in home.text
    assert "Call next (token 2)" in home.text


def test_it_says_so_when_nobody_is_waiting(open_doctor, clinic_now):
    response = _signed_in(open_doctor.user).post(reverse("scheduling:queue-call-next"), follow=True)

    assert "Nobody is waiting." in response.text


# Walk-ins


def _walk_in(client, patient, doctor, **data):
    return client.post(
        reverse("scheduling:desk-patient", args=[patient.pk]), {"doctor": doctor.pk, **data}
    )


def test_it_checks_a_walk_in_into_the_doctors_next_free_slot(
    desk_client, desk, open_doctor, patient, clinic_now
):
    clinic_now.move_to(local("2026-12-01 09:20"))  # the 09:15 slot is under way
    book(PatientFactory(), open_doctor, local("2026-12-01 10:30"))
    services.appointment_check_in(appointment=Appointment.objects.get(), by=desk)

    response = _walk_in(desk_client, patient, open_doctor, reason="Fever")

    walk_in = Appointment.objects.get(patient=patient)
    assert response.status_code == 302
    assert (walk_in.start, walk_in.status, walk_in.token, walk_in.is_walk_in) == (
        local("2026-12-01 09:15"),
        "arrived",
        2,
        True,
    )
    assert walk_in.booked_by == desk


def test_it_refuses_a_walk_in_when_the_doctors_day_is_full(
    desk_client, open_doctor, patient, clinic_now
):
    clinic_now.move_to(local("2026-12-01 12:50"))
    # 12:45-13:00 is the last slot; take it.
    services.appointment_book(
        patient=PatientFactory(),
        doctor=open_doctor,
        start=local("2026-12-01 12:45"),
        now=local("2026-12-01 08:00"),
    )

    response = _walk_in(desk_client, patient, open_doctor)

    assert response.status_code == 422
    assert "has no free slot left today" in response.text
    assert not Appointment.objects.filter(patient=patient).exists()


# The desk's day


def test_it_lists_every_doctors_day_with_filters_and_actions(desk_client, open_doctor):
    other = DoctorFactory()
    open_every_day(other)
    mine = book(PatientFactory(), open_doctor, local("2026-12-01 10:00"))
    theirs = book(PatientFactory(), other, local("2026-12-01 11:00"))
    book(PatientFactory(), open_doctor, local("2026-12-02 10:00"))  # tomorrow: not listed

    everyone = desk_client.get(reverse("scheduling:desk"))
    one = desk_client.get(reverse("scheduling:desk"), {"doctor": other.pk}, HTTP_HX_REQUEST="true")

    assert str(mine.patient) in everyone.text
    assert str(theirs.patient) in everyone.text
    assert everyone.text.count(">Check in<") == 2
    assert "New patient" in everyone.text
    assert str(theirs.patient) in one.text
    assert str(mine.patient) not in one.text
    assert "<html" not in one.text  # the day's partial only


def test_it_finds_a_patient_by_phone_at_the_desk(desk_client):
    found = PatientFactory(phone="+91 98450 12345")
    PatientFactory(phone="+91 98450 99999")

    response = desk_client.get(reverse("scheduling:desk"), {"q": "9845012345"})

    assert list(response.context["patients"]) == [found]


@pytest.mark.parametrize("count", [5, 50])
def test_it_reads_the_desk_day_in_a_fixed_number_of_queries(
    desk_client, clinic_now, django_assert_max_num_queries, count
):
    doctors = [DoctorFactory() for _ in range(5)]
    for doctor in doctors:
        open_every_day(doctor, "09:00", "23:00")
    for n in range(count):
        doctor = doctors[n % 5]
        book(PatientFactory(), doctor, local("2026-12-01 10:00").replace(minute=0) + (n // 5) * (
            local("2026-12-01 10:15") - local("2026-12-01 10:00")
        ))  # fmt: skip

    with django_assert_max_num_queries(12):
        response = desk_client.get(reverse("scheduling:desk"))

    assert response.text.count(">Check in<") == count
