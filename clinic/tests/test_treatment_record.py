"""The treatment_record service: all or nothing."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from clinic import services
from clinic.models import Patient, PrescriptionItem, Treatment
from clinic.tests.factories import DoctorFactory, TreatmentFactory

pytestmark = pytest.mark.django_db

LINE = {"medicine": "Amoxicillin", "dosage": "500 mg", "frequency": "Twice a day"}


def _record(doctor, patient, **kwargs):
    args = {"diagnosis": "Sore throat", "items": [{**LINE, "duration_days": 5}]}
    return services.treatment_record(patient=patient, doctor=doctor, **{**args, **kwargs})


def test_it_records_the_visit_today_with_its_prescription(doctor, patient, clinic_today):
    treatment = _record(doctor, patient, icd10_code=" j02.9 ", next_visit_on=date(2026, 12, 8))

    assert treatment.visit_date == date(2026, 12, 1)
    assert treatment.icd10_code == "J02.9"
    assert treatment.icd10_description == "Acute pharyngitis, unspecified"
    assert treatment.items.get().medicine == "Amoxicillin"


def test_it_refuses_an_unknown_icd10_code(doctor, patient, clinic_today):
    with pytest.raises(ValidationError, match="is not an ICD-10 code"):
        _record(doctor, patient, icd10_code="Q99.99")

    assert not Treatment.objects.exists()


def test_it_refuses_a_chapter_or_block_as_a_diagnosis_code(doctor, patient, clinic_today):
    with pytest.raises(ValidationError):
        _record(doctor, patient, icd10_code="A00-A09")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ({**LINE, "medicine": "", "duration_days": 3}, "Prescription line 2: This field"),
        ({**LINE, "duration_days": 0}, "Prescription line 2: Ensure this value is greater"),
    ],
)
def test_it_saves_nothing_when_a_line_is_wrong(doctor, patient, clinic_today, line, message):
    with pytest.raises(ValidationError) as error:
        _record(doctor, patient, items=[{**LINE, "duration_days": 5}, line])

    assert any(m.startswith(message) for m in error.value.messages)
    assert not Treatment.objects.exists()
    assert not PrescriptionItem.objects.exists()


@pytest.mark.parametrize("day", [date(2026, 11, 30), date(2026, 12, 1)])
def test_it_wants_the_next_visit_after_today(doctor, patient, clinic_today, day):
    with pytest.raises(ValidationError, match="The next visit must be on a later day"):
        _record(doctor, patient, next_visit_on=day)


def test_it_makes_a_walk_in_patient_visible_to_the_doctor(patient, clinic_today):
    doctor = DoctorFactory()
    assert not Patient.objects.visible_to(doctor.user).exists()

    TreatmentFactory(doctor=doctor, patient=patient)

    assert list(Patient.objects.visible_to(doctor.user)) == [patient]
    assert not Patient.objects.visible_to(DoctorFactory().user).exists()
