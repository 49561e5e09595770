"""Issue 17: one rule for phone numbers, whichever door a person types one at.

The services (``accounts.services.user_create`` / ``user_update``,
``clinic.services.patient_update``) check and store them in E.164, so the
pages, the Django admin and the API all say the same next to the field.
"""

import json

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import translation

from accounts.admin import UserChangeAdminForm
from accounts.models import User
from accounts.roles import Role
from accounts.services import user_create, user_update
from accounts.tests.factories import AdminFactory
from clinic import services
from clinic.admin import PatientAdminSiteForm
from clinic.models import Doctor
from clinic.tests.factories import DepartmentFactory, DoctorFactory, PatientFactory
from hms.phones import INVALID_PHONE

pytestmark = pytest.mark.django_db

WRONG = str(INVALID_PHONE)


def test_user_create_stores_the_phone_in_e164():
    user = user_create(
        email="asha@example.com",
        first_name="Asha",
        last_name="Rao",
        role=Role.PATIENT,
        phone="98450 00001",
    )

    assert user.phone == "+919845000001"


@pytest.mark.parametrize("junk", ["123", "+999", "call me", "98450"])
def test_user_create_refuses_a_wrong_phone_on_the_phone_field(junk):
    with pytest.raises(ValidationError) as caught:
        user_create(
            email="asha@example.com",
            first_name="Asha",
            last_name="Rao",
            role=Role.RECEPTION,
            phone=junk,
        )

    assert caught.value.message_dict == {"phone": [WRONG]}
    assert not User.objects.exists()


def test_user_update_normalises_and_refuses_like_create():
    user = AdminFactory()
    user_update(user=user, first_name="A", last_name="B", email=user.email, phone="+91-98450-11111")
    assert user.phone == "+919845011111"

    with pytest.raises(ValidationError) as caught:
        user_update(user=user, first_name="A", last_name="B", email=user.email, phone="123")

    assert caught.value.message_dict == {"phone": [WRONG]}
    user.refresh_from_db()
    assert user.phone == "+919845011111"


def test_a_blank_phone_stays_blank():
    assert AdminFactory().phone == ""
    assert PatientFactory(phone="").user.phone == ""


def test_the_message_is_in_hindi_for_a_hindi_reader(patient_client):
    response = patient_client.post(
        reverse("clinic:profile-edit"), {"phone": "123"}, HTTP_ACCEPT_LANGUAGE="hi"
    )

    assert response.status_code == 422
    assert "सही फ़ोन नंबर लिखें" in response.text
    with translation.override("hi"):
        assert response.context["form"].errors["phone"] == [
            "सही फ़ोन नंबर लिखें, जैसे 98450 00001 या +91 98450 00001।"
        ]


def test_sign_up_says_it_next_to_the_phone_field(client):
    data = {
        "first_name": "Priya",
        "last_name": "Sharma",
        "email": "priya@example.com",
        "phone": "123",
        "password1": "tulsi-garden-morning-7",
        "password2": "tulsi-garden-morning-7",
    }

    response = client.post(reverse("clinic:patient-register"), data)

    assert response.status_code == 422
    assert response.context["form"].errors == {"phone": [WRONG]}
    assert not User.objects.exists()


def test_sign_up_refuses_a_wrong_phone_the_same_for_a_known_address(client):
    # Otherwise the page would tell a known address (e-mail sent) from a new one.
    PatientFactory(email="priya@example.com")
    data = {
        "first_name": "Priya",
        "last_name": "Sharma",
        "email": "priya@example.com",
        "phone": "123",
        "password1": "tulsi-garden-morning-7",
        "password2": "tulsi-garden-morning-7",
    }

    response = client.post(reverse("clinic:patient-register"), data)

    assert response.status_code == 422
    assert response.context["form"].errors == {"phone": [WRONG]}
    assert not mail.outbox


def test_the_patients_profile_checks_both_phones(patient_client, patient):
    data = {
        "phone": "98450 11111",
        "date_of_birth": "",
        "gender": "",
        "blood_group": "",
        "address": "",
        "emergency_contact_name": "Ravi",
        "emergency_contact_phone": "12",
        "allergies": "",
    }

    refused = patient_client.post(reverse("clinic:profile-edit"), data)
    saved = patient_client.post(
        reverse("clinic:profile-edit"), {**data, "emergency_contact_phone": "+91 98450 22222"}
    )

    assert refused.status_code == 422
    assert refused.context["form"].errors == {"emergency_contact_phone": [WRONG]}
    assert saved.status_code == 302
    patient.refresh_from_db()
    patient.user.refresh_from_db()
    assert patient.user.phone == "+919845011111"
    assert patient.emergency_contact_phone == "+919845022222"


def test_an_admin_creating_a_doctor_sees_it_next_to_the_phone(admin_client):
    department = DepartmentFactory()
    data = {
        "first_name": "Asha",
        "last_name": "Rao",
        "email": "asha@hms.example",
        "phone": "555",
        "department": department.pk,
        "specialization": "Cardiology",
        "qualification": "MBBS",
        "experience_years": "4",
        "consultation_minutes": "15",
        "bio": "",
    }

    response = admin_client.post(reverse("clinic:manage-doctor-create"), data)

    assert response.status_code == 422
    assert response.context["form"].errors == {"phone": [WRONG]}
    assert not Doctor.objects.exists()


def test_doctor_edit_stores_the_phone_in_e164():
    doctor = DoctorFactory()
    services.doctor_update(
        doctor=doctor,
        email=doctor.user.email,
        first_name="A",
        last_name="B",
        phone="09845033333",
        department=doctor.department,
        specialization="GP",
        qualification="MBBS",
        experience_years=1,
        consultation_minutes=15,
        bio="",
        is_accepting_patients=True,
    )

    doctor.user.refresh_from_db()
    assert doctor.user.phone == "+919845033333"


def test_the_django_admin_user_form_uses_the_same_rule():
    user = AdminFactory()
    data = {**model_to_dict(user), "groups": [g.pk for g in user.groups.all()]}
    data = {k: v for k, v in data.items() if v is not None and k != "user_permissions"}

    wrong = UserChangeAdminForm({**data, "phone": "123"}, instance=user)
    right = UserChangeAdminForm({**data, "phone": "98450 44444"}, instance=user)

    assert wrong.errors["phone"] == [WRONG]
    assert right.is_valid(), right.errors
    assert right.cleaned_data["phone"] == "+919845044444"


def test_the_django_admin_patient_form_checks_the_emergency_phone():
    patient = PatientFactory()
    data = {k: v for k, v in model_to_dict(patient).items() if v is not None}

    wrong = PatientAdminSiteForm({**data, "emergency_contact_phone": "123"}, instance=patient)
    right = PatientAdminSiteForm(
        {**data, "emergency_contact_phone": "+91 98450 55555"}, instance=patient
    )

    assert wrong.errors["emergency_contact_phone"] == [WRONG]
    assert right.is_valid(), right.errors
    assert right.cleaned_data["emergency_contact_phone"] == "+919845055555"


def test_the_api_refuses_it_on_the_phone_field(patient_client, patient):
    response = patient_client.put(
        "/api/v1/patients/me", json.dumps({"phone": "123"}), content_type="application/json"
    )

    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "phone", "message": WRONG}]


def test_the_api_stores_it_in_e164(patient_client, patient):
    response = patient_client.put(
        "/api/v1/patients/me",
        json.dumps({"phone": "98450 66666", "emergency_contact_phone": "+91 98450 77777"}),
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response.json()["phone"] == "+919845066666"
    assert response.json()["emergency_contact_phone"] == "+919845077777"


def test_the_migrations_rewrite_stored_phones_in_e164_and_leave_junk_alone():
    from importlib import import_module

    from django.apps import apps

    from clinic.models import Patient

    asha, ravi = PatientFactory(), PatientFactory()
    User.objects.filter(pk=asha.user_id).update(phone="+91 98450 00001")
    User.objects.filter(pk=ravi.user_id).update(phone="123")
    Patient.objects.filter(pk=asha.pk).update(emergency_contact_phone="098450 22222")
    Patient.objects.filter(pk=ravi.pk).update(emergency_contact_phone="call the neighbour")

    import_module("accounts.migrations.0010_phones_in_e164").forwards(apps, None)
    import_module("clinic.migrations.0009_emergency_phones_in_e164").forwards(apps, None)

    asha.refresh_from_db()
    ravi.refresh_from_db()
    assert User.objects.get(pk=asha.user_id).phone == "+919845000001"
    assert User.objects.get(pk=ravi.user_id).phone == "123"
    assert asha.emergency_contact_phone == "+919845022222"
    assert ravi.emergency_contact_phone == "call the neighbour"


# A stored number is shown as people read it ("+91 98450 00001"), never as E.164.


def test_readable_phone_groups_a_stored_number_and_leaves_anything_else_alone():
    from hms.phones import readable_phone

    assert readable_phone("+919845000001") == "+91 98450 00001"
    assert readable_phone("+442079460000") == "+44 20 7946 0000"
    assert readable_phone("") == ""
    assert readable_phone("ask at the desk") == "ask at the desk"


def _readable_patient():
    patient = PatientFactory(first_name="Kavya", last_name="Menon", phone="+919845000001")
    patient.emergency_contact_phone = "+919845000002"
    patient.save(update_fields=["emergency_contact_phone"])
    return patient


def test_the_admins_patient_list_and_page_show_readable_numbers(admin_client):
    patient = _readable_patient()

    listing = admin_client.get(reverse("clinic:manage-patient-list"), {"q": "Kavya"})
    page = admin_client.get(reverse("clinic:manage-patient-detail", args=[patient.pk]))

    assert "+91 98450 00001" in listing.text
    assert "+919845000001" not in listing.text
    assert "+91 98450 00001" in page.text
    assert "+91 98450 00002" in page.text
    assert "+919845000001" not in page.text


def test_the_front_desk_shows_readable_numbers(client):
    from accounts.tests.factories import ReceptionFactory

    patient = _readable_patient()
    client.force_login(ReceptionFactory())

    search = client.get(reverse("scheduling:desk"), {"q": "Kavya"})
    page = client.get(reverse("scheduling:desk-patient", args=[patient.pk]))

    assert "+91 98450 00001" in search.text
    assert "+91 98450 00001" in page.text
    assert "+919845000001" not in search.text + page.text


def test_the_profile_form_starts_with_readable_numbers_and_stores_e164(client):
    patient = _readable_patient()
    client.force_login(patient.user)

    form = client.get(reverse("clinic:profile-edit")).context["form"]

    assert form.initial["phone"] == "+91 98450 00001"
    assert form.initial["emergency_contact_phone"] == "+91 98450 00002"
    data = {k: v for k, v in form.initial.items() if v is not None}
    data["date_of_birth"] = ""
    client.post(reverse("clinic:profile-edit"), data)
    patient.user.refresh_from_db()
    assert patient.user.phone == "+919845000001"


def test_the_doctor_form_starts_with_a_readable_number(admin_client):
    doctor = DoctorFactory(phone="+919845000003")

    form = admin_client.get(reverse("clinic:manage-doctor-edit", args=[doctor.pk])).context["form"]

    assert form.initial["phone"] == "+91 98450 00003"
