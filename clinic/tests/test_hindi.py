"""The clinic's pages, forms and messages in Hindi (the person's browser asks for it)."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from clinic.forms import PrescriptionItemForm
from clinic.models import Patient
from clinic.tests.factories import DepartmentFactory, PatientFactory

pytestmark = pytest.mark.django_db

HINDI = {"HTTP_ACCEPT_LANGUAGE": "hi"}


@pytest.fixture(autouse=True)
def _english_afterwards():
    """A Hindi request leaves Hindi active in the thread; the next test starts in English."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def test_the_directory_has_its_heading_in_hindi(patient_client):
    DepartmentFactory(name="Cardiology")

    response = patient_client.get(reverse("clinic:department-list"), **HINDI)

    assert response.status_code == 200
    assert '<h1 class="h3 mb-0">विभाग</h1>' in response.text
    assert "डॉक्टर खोजें" in response.text  # Find a doctor
    assert "Departments" not in response.text.split("<main", 1)[1]


def test_a_refused_department_name_is_explained_in_hindi(admin_client):
    DepartmentFactory(name="Cardiology")

    response = admin_client.post(
        reverse("clinic:manage-department-create"), {"name": "CARDIOLOGY"}, **HINDI
    )

    assert response.status_code == 422
    assert "इस नाम का विभाग पहले से मौजूद है।" in response.text
    assert "नया विभाग" in response.text  # the page's title: New department


def test_the_departments_status_words_are_hindi(admin_client):
    DepartmentFactory(name="Cardiology")

    response = admin_client.get(reverse("clinic:manage-department-list"), **HINDI)

    assert '<span class="badge text-bg-success">सक्रिय</span>' in response.text
    assert "स्थिति" in response.text  # the Status column


def test_a_flash_message_is_hindi(admin_client):
    response = admin_client.post(
        reverse("clinic:manage-department-create"),
        {"name": "Cardiology"},
        follow=True,
        **HINDI,
    )

    assert "विभाग “Cardiology” बनाया गया।" in response.text


def test_a_walk_in_with_errors_is_explained_in_hindi(doctor_client):
    stranger = PatientFactory()
    data = {
        "diagnosis": "Fever",
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-0-dosage": "500 mg",
        "items-0-frequency": "Twice a day",
        "items-0-duration_days": "0",
        "access-reason": "",
    }

    response = doctor_client.post(
        reverse("clinic:walkin-record", args=[stranger.pk]), data, **HINDI
    )

    assert response.status_code == 422
    assert "दवा का नाम लिखें।" in response.text  # Give the medicine's name.
    assert "अवधि कम से कम एक दिन होनी चाहिए।" in response.text
    assert "बताएँ कि आप यह विज़िट क्यों दर्ज कर रहे हैं।" in response.text
    assert '<h1 class="h3">बिना अपॉइंटमेंट (वॉक-इन) विज़िट</h1>' in response.text


def test_the_history_page_is_hindi(patient_client, patient):
    response = patient_client.get(reverse("clinic:history-mine"), **HINDI)

    assert "मेरा इतिहास" in response.text  # My history
    assert "मेरा इतिहास CSV में एक्सपोर्ट करें" in response.text
    assert "अभी तक कोई विज़िट दर्ज नहीं है।" in response.text


def test_choices_and_form_errors_follow_the_active_language():
    with translation.override("hi"):
        assert Patient.Gender.FEMALE.label == "महिला"
        form = PrescriptionItemForm(data={"dosage": "5 mg", "frequency": "daily"})
        assert not form.is_valid()
        assert form.errors["medicine"] == ["दवा का नाम लिखें।"]
        assert form.errors["duration_days"] == ["दिनों की संख्या लिखें।"]
    with translation.override("en-gb"):
        assert Patient.Gender.FEMALE.label == "Female"
