"""Factories that build the directory through the services, as the app does."""

import factory

from accounts.services import user_disable
from accounts.tests.factories import PASSWORD, AdminFactory
from clinic import services


class DepartmentFactory(factory.Factory):
    """``DepartmentFactory(is_active=False)`` makes an inactive one."""

    class Meta:
        model = dict

    name = factory.Sequence(lambda n: f"Department {n}")
    description = "Care for the test patients."
    is_active = True

    @classmethod
    def _create(cls, model_class, is_active=True, **kwargs):
        department = services.department_create(**kwargs)
        if not is_active:
            services.department_set_active(department=department, is_active=False)
        return department

    _build = _create


class DoctorFactory(factory.Factory):
    """``DoctorFactory(disabled=True)`` makes a disabled (blacklisted) doctor."""

    class Meta:
        model = dict

    email = factory.Sequence(lambda n: f"doctor{n}@hms.example")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    department = factory.SubFactory(DepartmentFactory)
    specialization = "General practice"
    qualification = "MBBS"
    experience_years = 5
    consultation_minutes = 15
    password = PASSWORD
    disabled = False

    @classmethod
    def _create(cls, model_class, disabled=False, **kwargs):
        doctor = services.doctor_create(**kwargs)
        if disabled:
            services.doctor_disable(doctor=doctor, reason="Left the hospital", by=AdminFactory())
        return doctor

    _build = _create


class PatientFactory(factory.Factory):
    """``PatientFactory(disabled=True)`` makes a disabled (blacklisted) patient."""

    class Meta:
        model = dict

    email = factory.Sequence(lambda n: f"patient{n}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    phone = factory.Sequence(lambda n: f"+9198{n:08d}")  # valid Indian mobiles, in E.164
    password = PASSWORD
    disabled = False

    @classmethod
    def _create(cls, model_class, disabled=False, **kwargs):
        patient = services.patient_register(**kwargs)
        if disabled:
            user_disable(user=patient.user, reason="Abusive calls", by=AdminFactory())
        return patient

    _build = _create


class TreatmentFactory(factory.Factory):
    """A visit record with a one-line prescription, recorded today (clinic time)."""

    class Meta:
        model = dict

    patient = factory.SubFactory(PatientFactory)
    doctor = factory.SubFactory(DoctorFactory)
    diagnosis = "Acute upper respiratory infection"
    icd10_code = "J06.9"
    notes = "Rest and fluids."
    items = factory.LazyFunction(
        lambda: [
            {
                "medicine": "Paracetamol",
                "dosage": "500 mg",
                "frequency": "Three times a day",
                "duration_days": 5,
                "instructions": "After meals",
            }
        ]
    )

    @classmethod
    def _create(cls, model_class, **kwargs):
        return services.treatment_record(**kwargs)

    _build = _create
