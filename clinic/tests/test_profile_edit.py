import datetime

import pytest
import time_machine
from django.urls import reverse

from clinic.models import Patient
from clinic.tests.factories import PatientFactory
from hms.phones import readable_phone

pytestmark = pytest.mark.django_db

URL = reverse("clinic:profile-edit")
GOOD = {
    "date_of_birth": "1990-04-12",
    "gender": "female",
    "blood_group": "B+",
    "phone": "+91 98450 11111",
    "address": "12 MG Road, Bengaluru",
    "emergency_contact_name": "Ravi Sharma",
    "emergency_contact_phone": "+91 98450 22222",
    "allergies": "Penicillin",
}


def test_it_shows_the_patients_own_profile(patient_client, patient):
    response = patient_client.get(URL)

    assert response.status_code == 200
    assert patient.patient_number in response.text
    assert readable_phone(patient.user.phone) in response.text


def test_it_saves_the_profile(patient_client, patient):
    response = patient_client.post(URL, GOOD)

    assert response.status_code == 302
    patient.refresh_from_db()
    patient.user.refresh_from_db()
    assert patient.date_of_birth == datetime.date(1990, 4, 12)
    assert patient.gender == Patient.Gender.FEMALE
    assert patient.blood_group == "B+"
    assert patient.user.phone == "+919845011111"  # stored in E.164
    assert patient.address == "12 MG Road, Bengaluru"
    assert patient.emergency_contact_name == "Ravi Sharma"
    assert patient.emergency_contact_phone == "+919845022222"
    assert patient.allergies == "Penicillin"
    assert "Your profile has been saved." in patient_client.get(URL).text


def test_it_accepts_a_baby_born_today_in_the_clinics_time_zone(patient_client, patient, settings):
    settings.TIME_ZONE = "Asia/Kolkata"
    # 20:00 UTC on 1 May is already 2 May in the clinic.
    with time_machine.travel(datetime.datetime(2026, 5, 1, 20, 0, tzinfo=datetime.UTC)):
        response = patient_client.post(URL, {**GOOD, "date_of_birth": "2026-05-02"})

    assert response.status_code == 302
    patient.refresh_from_db()
    assert patient.date_of_birth == datetime.date(2026, 5, 2)


@time_machine.travel(datetime.datetime(2026, 5, 1, 12, 0, tzinfo=datetime.UTC))
def test_it_refuses_a_date_of_birth_in_the_future(patient_client, patient):
    response = patient_client.post(URL, {**GOOD, "date_of_birth": "2026-05-02"})

    assert response.status_code == 422  # refused: Unprocessable Content
    assert response.context["form"].errors == {
        "date_of_birth": ["The date of birth cannot be in the future."]
    }
    assert "The date of birth cannot be in the future." in response.text
    patient.refresh_from_db()
    patient.user.refresh_from_db()
    assert patient.date_of_birth is None
    assert patient.user.phone != GOOD["phone"]


def test_it_refuses_an_unknown_blood_group(patient_client, patient):
    response = patient_client.post(URL, {**GOOD, "blood_group": "Z+"})

    assert "blood_group" in response.context["form"].errors
    patient.refresh_from_db()
    assert patient.blood_group == ""


def test_it_cannot_change_the_name_or_e_mail(patient_client, patient):
    email = patient.user.email

    patient_client.post(URL, {**GOOD, "email": "other@example.com", "first_name": "Mallory"})

    patient.user.refresh_from_db()
    assert patient.user.email == email
    assert patient.user.first_name != "Mallory"


def test_it_edits_only_the_signed_in_patient(patient_client, patient):
    other = PatientFactory()

    patient_client.post(URL, GOOD)

    other.refresh_from_db()
    assert other.allergies == ""


@pytest.mark.parametrize("person", ["admin_client", "doctor_client"])
def test_it_is_for_patients_only(request, person):
    client = request.getfixturevalue(person)

    assert client.get(URL).status_code == 403
