import pytest
from django.urls import reverse

from clinic.tests.factories import TreatmentFactory

pytestmark = pytest.mark.django_db

ADMIN_INDEX = reverse("admin:index")


def test_it_lets_admins_into_the_django_admin(admin_client):
    response = admin_client.get(ADMIN_INDEX)

    assert response.status_code == 200
    assert "Hospital administration" in response.text


@pytest.mark.parametrize("client_fixture", ["doctor_client", "patient_client", "client"])
def test_it_keeps_everyone_else_out_of_the_django_admin(request, client_fixture):
    client = request.getfixturevalue(client_fixture)

    response = client.get(ADMIN_INDEX)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:accounts_user_changelist",
        "admin:clinic_doctor_changelist",
        "admin:clinic_patient_changelist",
        "admin:clinic_department_changelist",
        "admin:clinic_treatment_changelist",
    ],
)
def test_it_opens_each_changelist_for_an_admin(admin_client, doctor, patient, url_name):
    response = admin_client.get(reverse(url_name))

    assert response.status_code == 200


def test_it_shows_a_treatment_with_its_prescription_lines(admin_client, doctor, patient):
    treatment = TreatmentFactory(doctor=doctor, patient=patient)

    listing = admin_client.get(reverse("admin:clinic_treatment_changelist"), {"q": "paracetamol"})
    page = admin_client.get(reverse("admin:clinic_treatment_change", args=[treatment.pk]))

    assert "Acute upper respiratory infection" in listing.text
    assert page.status_code == 200
    assert 'value="Paracetamol"' in page.text
