import pytest
from django.urls import reverse

from clinic.tests.factories import DepartmentFactory, DoctorFactory
from clinic.tests.utils import is_fragment, queries_for

pytestmark = pytest.mark.django_db

URL = reverse("clinic:manage-doctor-list")


@pytest.fixture
def doctors():
    return {
        "asha": DoctorFactory(
            first_name="Asha",
            last_name="Rao",
            department=DepartmentFactory(name="Cardiology"),
            specialization="Interventional cardiology",
        ),
        "vikram": DoctorFactory(
            first_name="Vikram",
            last_name="Mehta",
            department=DepartmentFactory(name="Orthopaedics"),
            specialization="Joint replacement",
            disabled=True,
        ),
    }


def test_it_lists_every_doctor_with_status_and_actions(admin_client, doctors):
    response = admin_client.get(URL)

    text = response.text
    assert "Dr. Asha Rao" in text
    assert "Dr. Vikram Mehta" in text
    assert "Disabled" in text
    assert reverse("clinic:manage-doctor-edit", args=[doctors["asha"].pk]) in text
    assert reverse("clinic:manage-doctor-toggle", args=[doctors["vikram"].pk]) in text


@pytest.mark.parametrize(
    ("query", "found", "not_found"),
    [
        ("rao", "Dr. Asha Rao", "Dr. Vikram Mehta"),
        ("vikram", "Dr. Vikram Mehta", "Dr. Asha Rao"),
        ("interventional", "Dr. Asha Rao", "Dr. Vikram Mehta"),
        ("JOINT", "Dr. Vikram Mehta", "Dr. Asha Rao"),
        ("ortho", "Dr. Vikram Mehta", "Dr. Asha Rao"),
        ("cardiology", "Dr. Asha Rao", "Dr. Vikram Mehta"),
    ],
)
def test_it_searches_by_name_specialization_or_department(
    admin_client, doctors, query, found, not_found
):
    response = admin_client.get(URL, {"q": query})

    assert found in response.text
    assert not_found not in response.text


def test_it_answers_htmx_with_the_results_fragment(admin_client, doctors):
    response = admin_client.get(URL, {"q": "ortho"}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert is_fragment(response)
    assert "Dr. Vikram Mehta" in response.text
    assert "Dr. Asha Rao" not in response.text


def test_it_says_when_no_doctor_matches(admin_client, doctors):
    response = admin_client.get(URL, {"q": "dentist"})

    assert "No doctors match “dentist”." in response.text
    assert 'id="results"' in response.text


def test_it_makes_the_same_number_of_queries_for_5_and_50_doctors(admin_client):
    department = DepartmentFactory()
    DoctorFactory.create_batch(5, department=department)
    few = queries_for(admin_client, URL)
    DoctorFactory.create_batch(45, department=department)
    many = queries_for(admin_client, URL)

    assert few == many
    assert many <= 5
