import re

import pytest
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from accounts.services import EMAIL_TAKEN
from clinic.models import Doctor
from clinic.tests.factories import DepartmentFactory, PatientFactory

pytestmark = pytest.mark.django_db

URL = reverse("clinic:manage-doctor-create")


@pytest.fixture
def data():
    department = DepartmentFactory(name="Cardiology")
    return {
        "first_name": "Asha",
        "last_name": "Rao",
        "email": "Asha.Rao@HMS.local",
        "phone": "+91 98450 00009",
        "department": department.pk,
        "specialization": "Interventional cardiology",
        "qualification": "MBBS, MD, DM",
        "experience_years": "14",
        "consultation_minutes": "20",
        "bio": "Heart care.",
    }


def test_it_creates_a_doctor_and_e_mails_a_link_to_choose_a_password(
    admin_client, data, mailoutbox, django_capture_on_commit_callbacks
):
    client = Client()  # the doctor's own browser
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(URL, data)

    assert response.status_code == 302
    doctor = Doctor.objects.select_related("user", "department").get()
    assert doctor.user.email == "asha.rao@hms.local"
    assert doctor.user.role == Role.DOCTOR
    assert not doctor.user.is_staff
    assert not doctor.user.has_usable_password()
    assert doctor.user.phone == "+919845000009"  # stored in E.164
    assert doctor.department.name == "Cardiology"
    assert (doctor.specialization, doctor.qualification) == (
        "Interventional cardiology",
        "MBBS, MD, DM",
    )
    assert (doctor.experience_years, doctor.consultation_minutes) == (14, 20)
    assert doctor.is_accepting_patients
    assert "e-mailed a link to choose a password" in admin_client.get(response["Location"]).text

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["asha.rao@hms.local"]
    assert "choose your password" in mail.subject
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.body).group(1)

    # The doctor follows the link, chooses a password and signs in with it.
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    new_password = "stethoscope-sunrise-42"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done.status_code == 302
    assert client.login(request=HttpRequest(), username="asha.rao@hms.local", password=new_password)


def test_it_sends_nothing_when_the_form_is_refused(admin_client, data, mailoutbox):
    response = admin_client.post(URL, {**data, "email": "not-an-email"})

    assert response.status_code == 422  # refused: Unprocessable Content
    assert response.context["form"].errors == {"email": ["Enter a valid email address."]}
    assert "Enter a valid email address." in response.text
    assert not Doctor.objects.exists()
    assert mailoutbox == []


def test_it_refuses_an_e_mail_already_used_in_another_letter_case(admin_client, data):
    PatientFactory(email="asha.rao@hms.local")

    response = admin_client.post(URL, {**data, "email": "ASHA.RAO@hms.local"})

    assert response.status_code == 422  # refused: Unprocessable Content
    assert response.context["form"].errors == {"email": [EMAIL_TAKEN]}
    assert str(EMAIL_TAKEN) in response.text
    assert not Doctor.objects.exists()
    assert User.objects.filter(email__iexact="asha.rao@hms.local").count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("consultation_minutes", "2", "Ensure this value is greater than or equal to 5."),
        ("experience_years", "-1", "Ensure this value is greater than or equal to 0."),
        ("specialization", "", "This field is required."),
        ("department", "999999", "Select a valid choice."),
    ],
)
def test_it_shows_each_error_next_to_its_field(admin_client, data, field, value, message):
    response = admin_client.post(URL, {**data, field: value})

    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in errors[field][0]
    assert not Doctor.objects.exists()
    assert not User.objects.filter(email__iexact=data["email"]).exists()
