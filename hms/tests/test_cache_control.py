"""Nothing shown to a signed-in person is stored by a browser or a proxy."""

import pytest
from django.test import Client
from django.urls import reverse

from reports.models import ExportJob

pytestmark = pytest.mark.django_db


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


@pytest.mark.parametrize(
    ("person", "url_name"),
    [
        ("patient_a", "scheduling:patient-home"),
        ("patient_a", "clinic:history-mine"),
        ("doctor_x", "scheduling:doctor-home"),
        ("admin", "reports:admin-home"),
        ("admin", "admin:clinic_patient_changelist"),
    ],
)
def test_it_marks_signed_in_pages_no_store(world, person, url_name):
    people, _ = world

    response = _signed_in(people[person]).get(reverse(url_name))

    assert response.status_code == 200
    assert _no_store(response)
    assert "private" in response["Cache-Control"]


def test_it_marks_an_htmx_fragment_no_store(world):
    people, _ = world

    response = _signed_in(people["admin"]).get(
        reverse("scheduling:appointment-list"), headers={"HX-Request": "true"}
    )

    assert _no_store(response)


def test_it_marks_a_csv_download_no_store(world):
    people, _ = world
    job = ExportJob.objects.get()

    response = _signed_in(people["patient_a"]).get(
        reverse("reports:export-download", args=[job.pk])
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    assert _no_store(response)


def test_it_marks_the_admin_csv_action_no_store(world):
    people, _ = world
    admin_client = _signed_in(people["admin"])
    ids = [str(pk) for pk in people["admin"].__class__.objects.values_list("pk", flat=True)]

    response = admin_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "export_selected_as_csv", "_selected_action": ids},
    )

    assert response["Content-Type"] == "text/csv"
    assert _no_store(response)


def test_it_lets_public_pages_be_cached_as_usual(client, db):
    response = client.get(reverse("landing"))

    assert response.status_code == 200
    assert not _no_store(response)
