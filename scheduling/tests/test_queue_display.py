"""The waiting-room screen: a secret link, tokens only, refreshed by HTMX."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import ReceptionFactory
from clinic.tests.factories import DoctorFactory, PatientFactory
from scheduling import services
from scheduling.models import QueueDisplay
from scheduling.tests.factories import book, local, open_every_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(open_doctor, clinic_now):
    """Doctor X's queue at 10:00: token 1 being seen, 2 and 3 waiting."""
    desk = ReceptionFactory()
    patients = [PatientFactory(first_name=f"Vivek{n}", last_name="Secretname") for n in range(3)]
    for n, patient in enumerate(patients):
        appointment = book(patient, open_doctor, local(f"2026-12-01 1{n}:00"))
        services.appointment_check_in(appointment=appointment, by=desk)
    clinic_now.move_to(local("2026-12-01 10:00"))
    services.queue_call_next(doctor=open_doctor, by=open_doctor.user)
    return patients


def _display(**scope):
    return services.queue_display_create(display=QueueDisplay(name="OPD hall", **scope), by=None)


def _url(display):
    return reverse("scheduling:queue-display", args=[display.token])


def test_it_shows_the_token_being_seen_and_the_next_ones_without_sign_in(queue, open_doctor):
    display = _display(doctor=open_doctor)

    response = Client().get(_url(display))

    assert response.status_code == 200
    now = response.text.split('class="queue-now', 1)[1].split("</p>", 1)[0]
    assert now.split(">", 1)[1].strip() == "1"
    nexts = response.text.split('class="queue-next', 1)[1].split("</p>", 1)[0]
    assert [t.split("<")[0] for t in nexts.split('border me-1">')[1:]] == ["2", "3"]
    assert 'hx-trigger="every 5s"' in response.text
    assert response["Cache-Control"] == "no-store"


def test_it_shows_no_patient_name_or_number(queue, open_doctor):
    response = Client().get(_url(_display(department=open_doctor.department)))

    assert str(open_doctor) in response.text
    for patient in queue:
        assert "Secretname" not in response.text
        assert patient.patient_number not in response.text
        assert patient.user.email not in response.text


def test_it_answers_the_htmx_poll_with_the_board_only(queue, open_doctor):
    display = _display(doctor=open_doctor)

    fragment = Client().get(_url(display), HTTP_HX_REQUEST="true")

    assert fragment.text.lstrip().startswith('<div id="board"')
    assert "<html" not in fragment.text
    assert "queue-now" in fragment.text


def test_it_shows_a_departments_doctors_each_with_their_queue(queue, open_doctor):
    colleague = DoctorFactory(department=open_doctor.department)
    open_every_day(colleague)
    elsewhere = DoctorFactory()

    response = Client().get(_url(_display(department=open_doctor.department)))

    names = {board.doctor_name: board for board in response.context["boards"]}
    assert set(names) == {str(open_doctor), str(colleague)}
    assert str(elsewhere) not in response.text
    assert (names[str(open_doctor)].now_seeing, names[str(open_doctor)].next_tokens) == (1, [2, 3])
    assert (names[str(colleague)].now_seeing, names[str(colleague)].next_tokens) == (None, [])


def test_it_gives_404_once_the_link_is_revoked_or_for_a_made_up_one(open_doctor, clinic_now):
    display = _display(doctor=open_doctor)
    assert Client().get(_url(display)).status_code == 200

    assert services.queue_display_revoke(display=display) is True
    assert services.queue_display_revoke(display=display) is False

    assert Client().get(_url(display)).status_code == 404
    assert Client().get(reverse("scheduling:queue-display", args=["guess"])).status_code == 404


def test_it_lets_admins_create_and_revoke_links_in_the_django_admin(admin_client, open_doctor):
    admin_client.post(
        reverse("admin:scheduling_queuedisplay_add"),
        {"name": "Cardiology corridor", "department": open_doctor.department.pk},
    )
    display = QueueDisplay.objects.get()
    assert len(display.token) >= 32
    listing = admin_client.get(reverse("admin:scheduling_queuedisplay_changelist"))
    assert _url(display) in listing.text

    admin_client.post(
        reverse("admin:scheduling_queuedisplay_changelist"),
        {"action": "revoke_selected", "_selected_action": [display.pk]},
    )

    display.refresh_from_db()
    assert display.revoked_at is not None
    assert Client().get(_url(display)).status_code == 404


def test_it_refuses_a_link_for_both_a_doctor_and_a_department_or_neither(admin_client, open_doctor):
    for data in ({"name": "Both", "doctor": open_doctor.pk,
                  "department": open_doctor.department.pk}, {"name": "Neither"}):  # fmt: skip
        response = admin_client.post(reverse("admin:scheduling_queuedisplay_add"), data)
        assert response.status_code == 200
        assert "Choose either a doctor or a department." in response.text
    assert not QueueDisplay.objects.exists()
