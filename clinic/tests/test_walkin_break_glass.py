"""A walk-in for a patient new to the doctor is break-the-glass: a reason, a flagged
audit entry, and the patient sees it among who viewed their record."""

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse

from clinic import services
from clinic.models import Treatment
from clinic.tests.factories import PatientFactory, TreatmentFactory
from clinic.tests.test_walkin import _post, _record

pytestmark = pytest.mark.django_db

REASON = "Came to the desk with chest pain; her doctor is on leave."


@pytest.fixture
def stranger(db):
    return PatientFactory()


def _break_glass_entries(patient):
    return [
        e
        for e in LogEntry.objects.get_for_object(patient).filter(action=LogEntry.Action.ACCESS)
        if (e.additional_data or {}).get("break_glass")
    ]


def test_it_asks_why_before_recording_a_walk_in_for_a_stranger(
    doctor_client, stranger, clinic_today
):
    page = doctor_client.get(_record(stranger))
    refused = doctor_client.post(_record(stranger), _post(**{"access-reason": "  "}))

    assert "Why are you recording this visit?" in page.text
    assert refused.status_code == 422
    assert "Say why you are recording this visit." in refused.text
    assert not Treatment.objects.exists()
    assert not _break_glass_entries(stranger)


def test_it_records_the_reason_and_flags_it_in_the_audit_log(
    doctor_client, doctor, stranger, clinic_today
):
    response = doctor_client.post(_record(stranger), _post(**{"access-reason": REASON}))

    assert response.status_code == 302
    treatment = Treatment.objects.get()
    assert treatment.access_reason == REASON
    (entry,) = _break_glass_entries(stranger)
    assert entry.actor == doctor.user
    assert entry.additional_data == {"break_glass": True, "reason": REASON}


def test_it_shows_the_patient_who_broke_the_glass_and_why(
    doctor_client, doctor, stranger, client, clinic_today
):
    doctor_client.post(_record(stranger), _post(**{"access-reason": REASON}))
    client.force_login(stranger.user)

    profile = client.get(reverse("clinic:profile-edit"))

    assert doctor.user.get_full_name() in profile.text
    assert "Walk-in without an appointment" in profile.text
    assert REASON in profile.text


def test_it_asks_no_reason_of_the_patients_own_doctor(doctor_client, doctor, clinic_today):

    known = PatientFactory()
    TreatmentFactory(doctor=doctor, patient=known)
    data = _post()
    del data["access-reason"]

    page = doctor_client.get(_record(known))
    response = doctor_client.post(_record(known), data)

    assert "Why are you recording this visit?" not in page.text
    assert response.status_code == 302
    assert Treatment.objects.filter(patient=known).count() == 2
    assert not _break_glass_entries(known)


def test_it_needs_the_reason_in_the_service_too(doctor, stranger, clinic_today):
    with pytest.raises(ValidationError) as error:
        services.walkin_record(patient=stranger, doctor=doctor, diagnosis="Chest pain")

    assert "reason" in error.value.error_dict
    assert not Treatment.objects.exists()
