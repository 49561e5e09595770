"""The Django admin in Hindi: column headers, filter titles and form labels
come from the models' verbose names, so none is left as an English field name."""

import re

import pytest
from django.urls import reverse

from clinic.tests.factories import PatientFactory
from scheduling.models import Appointment
from scheduling.tests.factories import local, past_visit

pytestmark = pytest.mark.django_db


def _texts(html: str) -> str:
    html = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", html)
    return re.sub(r"\s+", " ", re.sub(r"(?s)<[^>]+>", " ", html))


@pytest.fixture
def visit(doctor, patient):
    return past_visit(patient, doctor, local("2026-11-02 10:00"), status=Appointment.Status.NO_SHOW)


def test_the_appointment_list_has_hindi_columns_and_filters(admin_client, visit):
    response = admin_client.get(
        reverse("admin:scheduling_appointment_changelist"), HTTP_ACCEPT_LANGUAGE="hi"
    )

    text = _texts(response.text)
    assert response.status_code == 200
    for header in ("शुरुआत", "मरीज़", "डॉक्टर", "स्थिति", "बनाया गया"):
        assert header in text
    assert "स्थिति के अनुसार" in text
    assert "शुरुआत के अनुसार" in text
    assert "नहीं आए" in text  # the status of the row
    assert "HMS बैक ऑफ़िस" in text
    assert "अपॉइंटमेंट" in text
    for english in ("status", "start", "patient", "doctor", "created at", "Appointment"):
        assert not re.search(rf"\b{english}\b", text, re.IGNORECASE), english


def test_an_appointment_form_has_hindi_labels(admin_user, visit):
    # An admin who chose Hindi gets it whatever the browser says.
    admin_user.preferred_language = "hi"
    admin_user.save(update_fields=["preferred_language"])
    from django.test import Client

    client = Client()
    client.force_login(admin_user)

    response = client.get(
        reverse("admin:scheduling_appointment_change", args=[visit.pk]),
        HTTP_ACCEPT_LANGUAGE="en-gb",
    )

    text = _texts(response.text)
    assert response.status_code == 200
    for label in ("मरीज़:", "डॉक्टर:", "शुरुआत:", "समाप्ति:", "स्थिति:", "विज़िट का कारण:"):
        assert label in text
    for label in ("रद्द करने वाले:", "बुक करने वाले:", "टोकन:", "पहुँचने का समय:"):
        assert label in text
    for english in ("Cancelled by", "Booked by", "Is walk in", "Queue day", "Arrived at"):
        assert english not in text


def test_the_patient_list_and_the_index_are_in_hindi(admin_client, patient):
    PatientFactory()

    listing = _texts(
        admin_client.get(reverse("admin:clinic_patient_changelist"), HTTP_ACCEPT_LANGUAGE="hi").text
    )
    index = _texts(admin_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="hi").text)

    for header in ("मरीज़ आईडी", "जन्म तिथि", "लिंग", "ब्लड ग्रुप", "लिंग के अनुसार"):
        assert header in listing
    assert "Patient number" not in listing
    assert "अस्पताल प्रशासन" in index
    for app in ("क्लिनिक", "शेड्यूलिंग", "खाते", "रिपोर्ट"):
        assert app in index
    # Django's own admin words its Hindi catalogue lacks come from ours (hms/django_hindi.py).
    for word in ("मुख्य सामग्री पर जाएँ", "हाल की क्रियाएँ", "पहचान और अनुमतियाँ", "साइट देखें"):
        assert word in index
    for english in ("Skip to main content", "Recent actions", "Authentication", "View site"):
        assert english not in index


def test_the_admin_stays_english_by_default(admin_client, visit):
    text = _texts(admin_client.get(reverse("admin:scheduling_appointment_changelist")).text)

    assert "By status" in text
    assert "Created at" in text
    assert "HMS back office" in text
