import pytest
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("dashboard")


def test_it_sends_anonymous_visitors_to_the_login_page(client):
    response = client.get(DASHBOARD)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={DASHBOARD}"


@pytest.mark.parametrize(
    ("client_fixture", "home", "nav_text"),
    [
        ("admin_client", "reports:admin-home", "Django admin"),
        ("doctor_client", "scheduling:doctor-home", "My day"),
        ("patient_client", "scheduling:patient-home", "My appointments"),
    ],
)
def test_it_sends_each_role_to_its_own_home(request, client_fixture, home, nav_text):
    client = request.getfixturevalue(client_fixture)

    response = client.get(DASHBOARD, follow=True)

    assert response.redirect_chain == [(reverse(home), 302)]
    assert response.status_code == 200
    assert nav_text in response.text


@pytest.mark.parametrize(
    "home", ["reports:admin-home", "scheduling:doctor-home", "scheduling:patient-home"]
)
def test_it_shows_each_home_only_to_its_role(client, admin_user, doctor, patient, home):
    people = {
        "reports:admin-home": admin_user,
        "scheduling:doctor-home": doctor.user,
        "scheduling:patient-home": patient.user,
    }
    for owner_home, person in people.items():
        client.force_login(person)

        response = client.get(reverse(home))

        assert response.status_code == (200 if owner_home == home else 403), person.role
    client.logout()
    assert client.get(reverse(home)).status_code == 302


def test_it_shows_the_role_navigation_only(doctor_client):
    response = doctor_client.get(reverse("scheduling:doctor-home"))

    assert "My day" in response.text
    assert "Django admin" not in response.text
    assert "My appointments" not in response.text


def test_it_refuses_a_person_without_a_role(client):
    client.force_login(
        User.objects.create_user("norole@example.com", "x" * 12, first_name="N", last_name="R")
    )

    response = client.get(DASHBOARD)

    assert response.status_code == 403
    assert "Your account has no role yet" in response.text


def test_it_sends_signed_in_people_from_the_landing_page_to_their_dashboard(patient_client):
    assert patient_client.get("/")["Location"] == DASHBOARD


def test_it_shows_the_landing_page_to_visitors(client):
    response = client.get("/")

    assert response.status_code == 200
    assert reverse("clinic:patient-register") in response.text
