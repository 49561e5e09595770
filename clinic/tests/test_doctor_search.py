import pytest
from django.urls import reverse

from clinic.tests.factories import DepartmentFactory, DoctorFactory
from clinic.tests.utils import is_fragment, queries_for

pytestmark = pytest.mark.django_db

URL = reverse("clinic:doctor-search")


@pytest.fixture
def doctors():
    cardiology = DepartmentFactory(name="Cardiology")
    orthopaedics = DepartmentFactory(name="Orthopaedics")
    return {
        "asha": DoctorFactory(
            first_name="Asha",
            last_name="Rao",
            department=cardiology,
            specialization="Interventional cardiology",
        ),
        "vikram": DoctorFactory(
            first_name="Vikram",
            last_name="Mehta",
            department=orthopaedics,
            specialization="Joint replacement",
        ),
        "gone": DoctorFactory(
            first_name="Gone",
            last_name="Away",
            department=cardiology,
            specialization="Interventional cardiology",
            disabled=True,
        ),
    }


@pytest.mark.parametrize(
    ("query", "found", "not_found"),
    [
        ("asha", "Dr. Asha Rao", "Dr. Vikram Mehta"),
        ("MEHTA", "Dr. Vikram Mehta", "Dr. Asha Rao"),
        ("asha rao", "Dr. Asha Rao", "Dr. Vikram Mehta"),
        ("joint", "Dr. Vikram Mehta", "Dr. Asha Rao"),
        ("cardio", "Dr. Asha Rao", "Dr. Vikram Mehta"),
        ("orthopaedics", "Dr. Vikram Mehta", "Dr. Asha Rao"),
    ],
)
def test_it_finds_doctors_by_name_specialization_or_department(
    patient_client, doctors, query, found, not_found
):
    response = patient_client.get(URL, {"q": query})

    assert response.status_code == 200
    assert found in response.text
    assert not_found not in response.text


def test_it_never_shows_a_disabled_doctor_to_patients(patient_client, doctors):
    response = patient_client.get(URL, {"q": "gone"})

    assert "Dr. Gone Away" not in response.text
    assert "No doctors match “gone”." in response.text


def test_it_answers_an_htmx_search_with_the_results_fragment(patient_client, doctors):
    response = patient_client.get(URL, {"q": "joint"}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert is_fragment(response)
    assert "Dr. Vikram Mehta" in response.text
    assert "Dr. Asha Rao" not in response.text


def test_it_serves_the_whole_page_to_an_htmx_history_restore(patient_client, doctors):
    response = patient_client.get(
        URL, {"q": "joint"}, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )

    assert "<html" in response.text
    assert "Dr. Vikram Mehta" in response.text
    assert "HX-Request" in response["Vary"]


def test_it_says_no_doctor_matches_in_the_fragment_too(patient_client, doctors):
    response = patient_client.get(URL, {"q": "dentist"}, headers={"HX-Request": "true"})

    assert is_fragment(response)
    assert "No doctors match “dentist”." in response.text


def test_it_serves_the_search_box_wired_for_htmx_and_plain_get(patient_client):
    response = patient_client.get(URL)

    assert 'hx-trigger="input changed delay:300ms, search"' in response.text
    assert 'hx-target="#results"' in response.text
    assert f'action="{URL}"' in response.text


def test_it_pages_by_twenty(patient_client):
    department = DepartmentFactory()
    DoctorFactory.create_batch(25, department=department, specialization="Dermatology")

    first = patient_client.get(URL, {"q": "derma"})
    second = patient_client.get(URL, {"q": "derma", "page": 2})

    assert len(first.context["page_obj"]) == 20
    assert len(second.context["page_obj"]) == 5
    assert "Page 1 of 2" in first.text
    assert "?q=derma&amp;page=2" in first.text
    assert "Page 2 of 2" in second.text


def test_it_shows_the_last_page_for_a_page_past_the_end(patient_client):
    department = DepartmentFactory()
    DoctorFactory.create_batch(25, department=department, specialization="Dermatology")

    for page in ("3", "99999999999999999999", "nonsense"):
        response = patient_client.get(URL, {"q": "derma", "page": page})
        assert response.status_code == 200
    assert len(patient_client.get(URL, {"q": "derma", "page": "3"}).context["page_obj"]) == 5
    assert "No doctors match" in patient_client.get(URL, {"q": "nobody"}).text


def test_it_loads_only_the_columns_the_list_shows(patient_client, doctors):
    response = patient_client.get(URL)

    shown = response.context["page_obj"][0]
    assert "password" in shown.user.get_deferred_fields()
    assert "bio" in shown.get_deferred_fields()


def test_it_makes_the_same_number_of_queries_for_5_and_50_doctors(patient_client):
    department = DepartmentFactory()
    DoctorFactory.create_batch(5, department=department)
    few = queries_for(patient_client, URL)
    DoctorFactory.create_batch(45, department=department)
    many = queries_for(patient_client, URL)

    assert few == many
    assert many <= 5
