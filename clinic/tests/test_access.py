"""Who may open which directory page: allowed, sent to sign in, or refused (403)."""

import pytest
from django.urls import reverse

from clinic.tests.factories import DoctorFactory, PatientFactory

pytestmark = pytest.mark.django_db

MANAGE_PAGES = [
    ("clinic:manage-department-list", None),
    ("clinic:manage-department-create", None),
    ("clinic:manage-department-edit", "department"),
    ("clinic:manage-department-toggle", "department"),
    ("clinic:manage-doctor-list", None),
    ("clinic:manage-doctor-create", None),
    ("clinic:manage-doctor-edit", "doctor"),
    ("clinic:manage-doctor-toggle", "doctor"),
    ("clinic:manage-patient-list", None),
    ("clinic:manage-patient-detail", "patient"),
    ("clinic:manage-patient-edit", "patient"),
    ("clinic:manage-patient-toggle", "patient"),
]
BROWSE_PAGES = [
    ("clinic:department-list", None),
    ("clinic:department-detail", "slug"),
    ("clinic:doctor-search", None),
    ("clinic:doctor-detail", "doctor"),
]


@pytest.fixture
def records():
    doctor = DoctorFactory()
    return {
        "doctor": doctor.pk,
        "department": doctor.department.pk,
        "slug": doctor.department.slug,
        "patient": PatientFactory().pk,
    }


def _url(name, arg, records):
    return reverse(name, args=[records[arg]] if arg else [])


@pytest.mark.parametrize(("name", "arg"), MANAGE_PAGES)
def test_it_lets_an_admin_manage(admin_client, records, name, arg):
    response = admin_client.get(_url(name, arg, records))

    assert response.status_code == 200


@pytest.mark.parametrize(("name", "arg"), MANAGE_PAGES)
@pytest.mark.parametrize("person", ["doctor_client", "patient_client"])
def test_it_refuses_management_to_doctors_and_patients(request, records, name, arg, person):
    client = request.getfixturevalue(person)

    get = client.get(_url(name, arg, records))
    post = client.post(_url(name, arg, records), {"reason": "x", "name": "x"})

    assert get.status_code == 403
    assert post.status_code == 403
    assert "This page is not available to your role." in get.text


@pytest.mark.parametrize(("name", "arg"), MANAGE_PAGES + BROWSE_PAGES)
def test_it_sends_anonymous_people_to_sign_in(client, records, name, arg):
    url = _url(name, arg, records)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"


@pytest.mark.parametrize(("name", "arg"), BROWSE_PAGES)
@pytest.mark.parametrize("person", ["admin_client", "doctor_client", "patient_client"])
def test_it_opens_the_directory_to_every_signed_in_person(request, records, name, arg, person):
    client = request.getfixturevalue(person)

    response = client.get(_url(name, arg, records))

    assert response.status_code == 200


@pytest.mark.parametrize(
    "name",
    [
        "clinic:manage-department-edit",
        "clinic:manage-department-toggle",
        "clinic:manage-doctor-edit",
        "clinic:manage-doctor-toggle",
        "clinic:manage-patient-detail",
        "clinic:manage-patient-edit",
        "clinic:manage-patient-toggle",
        "clinic:doctor-detail",
    ],
)
def test_it_answers_404_for_an_unknown_id(admin_client, name):
    response = admin_client.get(reverse(name, args=[987654]))

    assert response.status_code == 404


def test_it_answers_404_for_an_unknown_department(admin_client):
    response = admin_client.get(reverse("clinic:department-detail", args=["no-such-thing"]))

    assert response.status_code == 404


def test_it_shows_the_management_links_to_admins(admin_client):
    admin_nav = admin_client.get(reverse("clinic:department-list")).text

    assert reverse("clinic:manage-department-list") in admin_nav
    assert reverse("clinic:manage-doctor-list") in admin_nav
    assert reverse("clinic:manage-patient-list") in admin_nav
    assert reverse("clinic:profile-edit") not in admin_nav


def test_it_shows_find_a_doctor_and_my_profile_to_patients(patient_client):
    nav = patient_client.get(reverse("clinic:department-list")).text

    assert "Find a doctor" in nav
    assert reverse("clinic:profile-edit") in nav
    assert reverse("clinic:manage-patient-list") not in nav
