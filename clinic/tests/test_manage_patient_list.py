import pytest
from django.urls import reverse

from clinic.tests.factories import PatientFactory
from clinic.tests.utils import is_fragment, queries_for

pytestmark = pytest.mark.django_db

URL = reverse("clinic:manage-patient-list")


@pytest.fixture
def patients():
    return {
        "priya": PatientFactory(
            first_name="Priya",
            last_name="Sharma",
            email="priya.sharma@example.com",
            phone="+91 98450 00001",
        ),
        "rahul": PatientFactory(
            first_name="Rahul",
            last_name="Verma",
            email="rahul.verma@example.com",
            phone="+91 77000 00002",
            disabled=True,
        ),
    }


def test_it_lists_patients_with_id_contact_and_status(admin_client, patients):
    response = admin_client.get(URL)

    text = response.text
    priya = patients["priya"]
    assert priya.patient_number in text
    assert "Priya Sharma" in text
    assert "priya.sharma@example.com" in text
    assert "+91 98450 00001" in text  # stored in E.164, shown grouped
    assert "Rahul Verma" in text
    assert "Disabled" in text
    assert reverse("clinic:manage-patient-detail", args=[priya.pk]) in text


@pytest.mark.parametrize(
    ("query", "found", "not_found"),
    [
        ("priya", "Priya Sharma", "Rahul Verma"),
        ("verma", "Rahul Verma", "Priya Sharma"),
        ("Rahul.Verma@", "Rahul Verma", "Priya Sharma"),
        ("98450", "Priya Sharma", "Rahul Verma"),
        ("+91 77000", "Rahul Verma", "Priya Sharma"),
    ],
)
def test_it_searches_by_name_e_mail_or_phone(admin_client, patients, query, found, not_found):
    response = admin_client.get(URL, {"q": query})

    assert found in response.text
    assert not_found not in response.text


@pytest.mark.parametrize("form", ["P{pk:06d}", "p{pk:06d}", "{pk}", "P{pk}"])
def test_it_searches_by_patient_id(admin_client, patients, form):
    rahul = patients["rahul"]

    response = admin_client.get(URL, {"q": form.format(pk=rahul.pk)})

    assert "Rahul Verma" in response.text
    assert "Priya Sharma" not in response.text


def test_it_answers_htmx_with_the_results_fragment(admin_client, patients):
    number = patients["priya"].patient_number

    response = admin_client.get(URL, {"q": number}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert is_fragment(response)
    assert "Priya Sharma" in response.text


def test_it_says_when_no_patient_matches(admin_client, patients):
    response = admin_client.get(URL, {"q": "nobody"}, headers={"HX-Request": "true"})

    assert "No patients match “nobody”." in response.text


def test_it_pages_by_twenty(admin_client):
    PatientFactory.create_batch(21)

    response = admin_client.get(URL, {"page": 2})

    assert len(response.context["page_obj"]) == 1
    assert "Page 2 of 2" in response.text


def test_it_makes_the_same_number_of_queries_for_5_and_50_patients(admin_client):
    PatientFactory.create_batch(5)
    few = queries_for(admin_client, URL)
    PatientFactory.create_batch(45)
    many = queries_for(admin_client, URL)

    assert few == many
    assert many <= 5


def test_it_finds_a_phone_number_typed_without_spaces(admin_client):
    from clinic.tests.factories import PatientFactory

    patient = PatientFactory(phone="+91 98450 00001")
    PatientFactory(phone="+91 90000 12345")

    response = admin_client.get(URL, {"q": "9845000001"})

    assert patient.user.email in response.text
    assert "9000012345" not in response.text
