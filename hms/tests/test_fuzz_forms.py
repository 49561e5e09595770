"""Fuzzing: forms either refuse with a message or save whole; no POST gives a 5xx."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import from_form

from accounts.models import User
from clinic import services as clinic_services
from clinic.forms import (
    DepartmentForm,
    DeskPatientForm,
    PatientProfileForm,
    PatientRegistrationForm,
    PrescriptionItemForm,
)
from clinic.models import Department, Patient, Treatment
from hms.tests.matrix import MATRIX, PEOPLE
from scheduling import services as scheduling_services
from scheduling.forms import ExceptionForm, WeeklyBlockForm
from scheduling.models import AvailabilityException, WeeklyAvailability

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text that has broken web apps before: markup, SQL, control and wide characters.
NASTY = st.sampled_from(
    ["", " ", "0", "-1", "1e309", "NaN", "<script>x</script>", "' OR 1=1 --", "\x00", "ä" * 300,
     "2026-02-30", "25:61", "9999-12-31", "P000001", "=cmd()", "null", "[]", "{}"]
)  # fmt: skip
VALUES = st.one_of(NASTY, st.text(max_size=60), st.integers().map(str), st.dates().map(str))
FIELDS = st.sampled_from(
    ["name", "description", "email", "first_name", "last_name", "phone", "password1",
     "password2", "reason", "start", "q", "doctor", "department", "status", "date_from",
     "date_to", "date", "kind", "start_time", "end_time", "note", "weekday", "specialization",
     "experience_years", "consultation_minutes", "date_of_birth", "gender", "blood_group",
     "block-weekday", "block-start_time", "block-end_time", "exception-date", "exception-kind",
     "exception-start_time", "exception-end_time", "next", "page", "username", "password",
     "confirm_duplicate"]
)  # fmt: skip


def _saved_whole_or_refused(form, save, count) -> None:
    """A valid form either saves exactly one whole record or is refused with a message."""
    before = count()
    if not form.is_valid():
        _assert_explains([m for errors in form.errors.values() for m in errors])
        assert count() == before
        return
    refusal = _refusal(lambda: save(form.cleaned_data))
    if refusal is None:
        assert count() == before + 1
    else:
        _assert_explains(refusal)
        assert count() == before


def _assert_explains(messages: list[str]) -> None:
    """A refusal says why in words a person reads: sentences, not blanks or
    a Python error's text.
    """
    assert messages, "a refusal must say why"
    for message in messages:
        assert isinstance(message, str)
        assert len(message.strip()) >= 10, f"too short to explain anything: {message!r}"
        assert message.strip()[0].isupper(), f"not a sentence: {message!r}"
        assert not any(code in message for code in ("Error", "Traceback", "{", "}", "%(")), (
            f"an internal message: {message!r}"
        )


def _refusal(call) -> list[str] | None:
    """The messages of the ValidationError ``call`` raised, or None if it did not."""
    try:
        call()
    except ValidationError as exc:
        return exc.messages
    return None


@FUZZ
@given(form=from_form(DepartmentForm))
def test_it_saves_a_department_whole_or_explains(db, form):
    _saved_whole_or_refused(
        form, lambda data: clinic_services.department_create(**data), Department.objects.count
    )


@FUZZ
@given(form=from_form(PatientRegistrationForm))
def test_it_registers_a_patient_whole_or_explains(db, form):
    def save(data):
        clinic_services.patient_register(
            email=data["email"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            phone=data["phone"],
            password=data["password1"],
        )

    _saved_whole_or_refused(
        form, save, lambda: (User.objects.count() + Patient.objects.count()) // 2
    )
    assert User.objects.count() == Patient.objects.count()


PHONES = st.one_of(
    NASTY,
    st.sampled_from(["98450 00001", "+91 98450 00001", "+1 202 555 0143", "00000", "+999"]),
    st.text(alphabet="+0123456789 -()", max_size=20),
)


@FUZZ
@given(
    form=from_form(
        DeskPatientForm,
        phone=PHONES,
        date_of_birth=st.dates(min_value=date(1850, 1, 1), max_value=date(2100, 12, 31)),
    )
)
def test_it_registers_a_patient_at_the_desk_whole_or_explains(db, form):
    def save(data):
        clinic_services.patient_register_at_desk(
            **form.service_data(), base_url="http://testserver/"
        )

    _saved_whole_or_refused(
        form, save, lambda: (User.objects.count() + Patient.objects.count()) // 2
    )
    assert User.objects.count() == Patient.objects.count()


@FUZZ
@given(form=from_form(WeeklyBlockForm, start_time=st.times(), end_time=st.times()))
def test_it_adds_weekly_hours_whole_or_explains(doctor, form):
    _saved_whole_or_refused(
        form,
        lambda data: scheduling_services.weekly_block_add(doctor=doctor, **data),
        WeeklyAvailability.objects.count,
    )


@FUZZ
@given(
    form=from_form(
        ExceptionForm,
        # Mostly the coming years, and now and then the edges of the calendar.
        date=st.one_of(
            st.dates(min_value=date(2026, 1, 1), max_value=date(2029, 12, 31)),
            st.sampled_from([date.min, date.max, date(9999, 12, 30)]),
        ),
        start_time=st.one_of(st.none(), st.times()),
        end_time=st.one_of(st.none(), st.times()),
    )
)
def test_it_adds_exceptions_whole_or_explains(doctor, form):
    _saved_whole_or_refused(
        form,
        lambda data: scheduling_services.exception_add(
            doctor=doctor,
            **{k: v for k, v in data.items() if k not in ("affected", "cancel_reason")},
            cancel_affected=data["affected"] == "cancel",
            reason=data["cancel_reason"],
            by=doctor.user,
        ),
        AvailabilityException.objects.count,
    )


@FUZZ
@given(form=from_form(PatientProfileForm))
def test_it_updates_a_profile_or_explains(patient, form):
    if not form.is_valid():
        _assert_explains([m for errors in form.errors.values() for m in errors])
        return
    refusal = _refusal(lambda: clinic_services.patient_update(patient=patient, **form.cleaned_data))
    if refusal is not None:
        _assert_explains(refusal)
        return
    patient.refresh_from_db()
    assert patient.date_of_birth == form.cleaned_data["date_of_birth"]
    assert patient.allergies == form.cleaned_data["allergies"]


# A prescription line's texts, now and then longer than any of its limits.
LINE_TEXTS = st.one_of(NASTY, st.text(max_size=60), st.integers(0, 400).map("x".__mul__))


@FUZZ
@given(
    form=from_form(
        PrescriptionItemForm,
        medicine=LINE_TEXTS,
        dosage=LINE_TEXTS,
        frequency=LINE_TEXTS,
        instructions=LINE_TEXTS,
    )
)
def test_it_records_a_prescription_line_whole_or_explains(doctor, patient, form):
    _saved_whole_or_refused(
        form,
        lambda data: clinic_services.treatment_record(
            patient=patient, doctor=doctor, diagnosis="Influenza", items=[data]
        ),
        Treatment.objects.count,
    )


POSTABLE = sorted(MATRIX)


@pytest.fixture
def clients(world):
    people, kwargs = world
    signed_in = {}
    for person in PEOPLE:
        client = Client(raise_request_exception=False)
        if people[person] is not None:
            client.force_login(people[person])
        signed_in[person] = client
    return signed_in, kwargs


@settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    name=st.sampled_from(POSTABLE),
    person=st.sampled_from(PEOPLE),
    data=st.dictionaries(FIELDS, VALUES, max_size=8),
    htmx=st.booleans(),
)
def test_it_never_answers_a_random_post_with_a_server_error(clients, name, person, data, htmx):
    signed_in, kwargs = clients
    url = reverse(name, kwargs=kwargs.get(name))
    headers = {"HX-Request": "true"} if htmx else {}

    response = signed_in[person].post(url, data, headers=headers)

    assert response.status_code < 500, f"POST {url} as {person} with {data!r}"
