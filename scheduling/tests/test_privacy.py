"""Other people's appointments: every role tries ids that are not theirs."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import ReceptionFactory
from clinic.tests.factories import DoctorFactory, PatientFactory, TreatmentFactory
from scheduling.models import Appointment
from scheduling.tests.factories import book, local, open_every_day, past_visit

pytestmark = pytest.mark.django_db

PAGES = [
    ("get", "appointment-detail"),
    ("get", "appointment-cancel"),
    ("post", "appointment-cancel"),
    ("get", "appointment-reschedule"),
    ("post", "appointment-reschedule"),
]


@pytest.fixture
def theirs(open_doctor):
    """An appointment between another patient and the doctor."""
    return book(PatientFactory(), open_doctor, local("2026-12-02 10:00"))


@pytest.mark.parametrize(("method", "name"), PAGES)
def test_it_gives_404_to_another_patient(patient_client, theirs, method, name):
    url = reverse(f"scheduling:{name}", args=[theirs.pk])

    response = getattr(patient_client, method)(url, {"reason": "mine now", "start": "x"})

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Appointment.Status.BOOKED
    assert theirs.start == local("2026-12-02 10:00")


@pytest.mark.parametrize(
    ("method", "name"),
    [*PAGES[:3], ("post", "appointment-complete"), ("post", "appointment-no-show")],
)
def test_it_gives_404_to_another_doctor(client, theirs, method, name, clinic_now):
    clinic_now.move_to(local("2026-12-02 10:05"))
    client.force_login(DoctorFactory().user)

    response = getattr(client, method)(
        reverse(f"scheduling:{name}", args=[theirs.pk]), {"reason": "not mine"}
    )

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Appointment.Status.BOOKED


def test_it_keeps_a_doctor_to_their_own_availability(client, open_doctor):
    other = DoctorFactory()
    open_every_day(other)
    client.force_login(open_doctor.user)
    block = other.weekly_blocks.first()
    exception_pk = other.exceptions.create(date=local("2026-12-05 00:00").date()).pk

    assert client.get(reverse("scheduling:availability-doctor", args=[other.pk])).status_code == 404
    assert (
        client.post(reverse("scheduling:availability-block-delete", args=[block.pk])).status_code
        == 404
    )
    assert (
        client.post(
            reverse("scheduling:availability-exception-delete", args=[exception_pk])
        ).status_code
        == 404
    )
    assert other.weekly_blocks.filter(pk=block.pk).exists()
    assert other.exceptions.filter(pk=exception_pk).exists()


@pytest.mark.parametrize("name", ["appointment-list", "availability-doctors"])
def test_it_keeps_admin_lists_from_doctors_and_patients(doctor_client, name):
    assert doctor_client.get(reverse(f"scheduling:{name}")).status_code == 403


def test_the_front_desk_sees_the_visit_but_no_link_to_its_record(patient, open_doctor):
    visit = past_visit(patient, open_doctor, local("2026-11-20 09:00"))
    visit.treatment = TreatmentFactory(patient=patient, doctor=open_doctor)
    visit.save()
    record = reverse("clinic:treatment-detail", args=[visit.treatment_id])
    desk, doctor = Client(), Client()
    desk.force_login(ReceptionFactory())
    doctor.force_login(open_doctor.user)

    at_desk = desk.get(reverse("scheduling:appointment-detail", args=[visit.pk]))
    for_doctor = doctor.get(reverse("scheduling:appointment-detail", args=[visit.pk]))

    assert at_desk.status_code == for_doctor.status_code == 200
    assert record not in at_desk.text
    assert record in for_doctor.text
