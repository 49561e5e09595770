"""Writes on the clinic: departments, doctors, patients and their visit records.

Every change to a department or a doctor clears the cached directory after
commit (``selectors.directory_changed``), so bulk paths through these
functions are covered as well as the pages.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User, UserManager
from accounts.roles import Role
from accounts.services import (
    EMAIL_TAKEN,
    password_setup_link,
    user_create,
    user_disable,
    user_enable,
    user_set_language,
    user_update,
)
from clinic import icd10
from clinic.models import (
    Department,
    Doctor,
    Patient,
    PrescriptionItem,
    Treatment,
    next_visit_refusal,
)
from clinic.selectors import directory_changed, doctor_knows_patient
from hms.audit import record_break_glass
from hms.clinic_time import clinic_today
from hms.phones import normalize_phone
from notifications import services as outbox

DEPARTMENT_TAKEN = gettext_noop("A department with this name already exists.")


@transaction.atomic
def patient_register(
    *, email: str, first_name: str, last_name: str, password: str, phone: str = ""
) -> Patient:
    """A person signs themself up: a user in the Patient group and a profile."""
    user = user_create(
        email=email,
        first_name=first_name,
        last_name=last_name,
        phone=phone,
        password=password,
        role=Role.PATIENT,
    )
    patient = Patient(user=user)
    patient.full_clean()
    patient.save()
    return patient


@transaction.atomic
def patient_sign_up(
    *,
    email: str,
    first_name: str,
    last_name: str,
    password: str,
    phone: str = "",
    base_url: str,
) -> None:
    """A person signs themself up, and the page never says whether the e-mail
    already had an account: that is said in an e-mail to that address.

    A new address gets its patient account and a welcome e-mail; a known one
    gets an e-mail saying someone tried to register with it, with the sign-in
    and password-reset links (at most one a day), and nothing changes. The password is hashed in
    both cases so the answer takes as long either way.
    """
    email = UserManager.normalize_email(email)
    # A wrong phone is refused before the e-mail is looked at, whoever has it.
    phone = normalize_phone(phone)
    context = {
        "first_name": first_name,
        "email": email,
        "sign_in": base_url.rstrip("/") + reverse("accounts:login"),
        "reset": base_url.rstrip("/") + reverse("accounts:password-reset"),
    }
    try:
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(EMAIL_TAKEN)
        user = patient_register(
            email=email, first_name=first_name, last_name=last_name, phone=phone, password=password
        ).user
        # The new account keeps the language the registration page was in.
        user_set_language(user=user, language=translation.get_language())
        template, event = "clinic/email/registration_welcome", "welcome"
    except ValidationError as exc:
        if EMAIL_TAKEN not in exc.messages:
            raise
        make_password(password)  # the time a new account's hash takes
        user = User.objects.get(email__iexact=email)
        template = "clinic/email/registration_exists"
        # At most one a day per address (the outbox keeps event keys unique):
        # registering someone else's address again and again mails them once.
        event = f"registration-attempt:{clinic_today().isoformat()}"
    # Through the outbox like every message: sent once, after the commit.
    outbox.notify(
        outbox.email(
            event_key=f"user:{user.pk}:{event}", user=user, template=template, context=context
        )
    )


@transaction.atomic
def patient_update(
    *,
    patient: Patient,
    phone: str,
    date_of_birth: date | None,
    gender: str,
    blood_group: str,
    address: str,
    emergency_contact_name: str,
    emergency_contact_phone: str,
    allergies: str,
    first_name: str | None = None,
    last_name: str | None = None,
    email: str | None = None,
    base_url: str | None = None,
    preferred_language: str = "",
) -> Patient:
    """Change a patient's profile; the name and e-mail only when given (admins).

    Both phones are checked and stored in E.164 (``hms.phones``). A patient
    registered at the desk without an e-mail, who is given one now,
    is sent the link to choose a password (with ``base_url``): until then
    they could not sign in.
    """
    user = patient.user
    had_email = bool(user.email)
    user_update(
        user=user,
        first_name=user.first_name if first_name is None else first_name,
        last_name=user.last_name if last_name is None else last_name,
        email=user.email if email is None else email,
        phone=phone,
    )
    patient.date_of_birth = date_of_birth
    patient.gender = gender
    patient.blood_group = blood_group
    patient.address = address
    patient.emergency_contact_name = emergency_contact_name
    patient.emergency_contact_phone = normalize_phone(
        emergency_contact_phone, field="emergency_contact_phone"
    )
    patient.allergies = allergies
    patient.full_clean()
    patient.save()
    if preferred_language:
        user_set_language(user=user, language=preferred_language)
    if base_url and not had_email and user.email and not user.has_usable_password():
        account_invite(user=user, base_url=base_url)
    return patient


def _unique_slug(name: str) -> str:
    base = slugify(name)[:120] or "department"
    slug, n = base, 2
    while Department.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _department_save(department: Department) -> Department:
    # Names are unique whatever their letter case; said next to the name field
    # (the database constraint alone would only say it at the top of the form).
    taken = Department.objects.filter(name__iexact=department.name).exclude(pk=department.pk)
    if department.name and taken.exists():
        raise ValidationError({"name": _(DEPARTMENT_TAKEN)})
    department.full_clean()
    try:
        with transaction.atomic():
            department.save()
    except IntegrityError as exc:
        raise ValidationError({"name": _(DEPARTMENT_TAKEN)}) from exc
    directory_changed()
    return department


@transaction.atomic
def department_create(*, name: str, description: str = "") -> Department:
    department = Department(name=name.strip(), description=description)
    department.slug = _unique_slug(department.name)
    return _department_save(department)


@transaction.atomic
def department_update(*, department: Department, name: str, description: str) -> Department:
    """Rename or describe a department. Its slug (and so its address) stays."""
    department.name = name.strip()
    department.description = description
    return _department_save(department)


@transaction.atomic
def department_set_active(*, department: Department, is_active: bool) -> Department:
    """Deactivate or reactivate a department.

    Departments are never deleted here: past visits keep their department.
    An inactive department and its doctors are hidden from patients.
    """
    department.is_active = is_active
    department.save(update_fields=["is_active", "updated_at"])
    directory_changed()
    return department


@transaction.atomic
def doctor_create(
    *,
    email: str,
    first_name: str,
    last_name: str,
    department: Department,
    specialization: str,
    qualification: str = "",
    registration_number: str = "",
    experience_years: int = 0,
    consultation_minutes: int = 15,
    bio: str = "",
    phone: str = "",
    password: str | None = None,
) -> Doctor:
    """Create a doctor's account and profile (never self-registered).

    Without a password the doctor chooses one through ``doctor_invite``.
    """
    user = user_create(
        email=email,
        first_name=first_name,
        last_name=last_name,
        phone=phone,
        password=password,
        role=Role.DOCTOR,
    )
    doctor = Doctor(
        user=user,
        department=department,
        specialization=specialization,
        qualification=qualification,
        registration_number=registration_number,
        experience_years=experience_years,
        consultation_minutes=consultation_minutes,
        bio=bio,
    )
    doctor.full_clean()
    doctor.save()
    directory_changed()
    return doctor


@transaction.atomic
def doctor_invite(*, doctor: Doctor, base_url: str) -> None:
    """E-mail the doctor a link to choose their password, once the account is committed."""
    account_invite(user=doctor.user, base_url=base_url)


def account_invite(*, user: User, base_url: str) -> None:
    """E-mail ``user`` the link to choose their first password (a new doctor,
    receptionist, or a patient registered at the desk with an e-mail), through
    the outbox, so it goes once the account is committed and only once.
    """
    link = password_setup_link(user=user, base_url=base_url)
    outbox.notify(
        outbox.email(
            event_key=f"user:{user.pk}:password-setup:{link.rstrip('/').rsplit('/', 1)[-1]}",
            user=user,
            template="accounts/email/account_setup",
            context={"link": link},
        )
    )


@transaction.atomic
def patient_register_at_desk(
    *,
    first_name: str,
    last_name: str,
    phone: str,
    date_of_birth: date,
    gender: str,
    email: str | None = None,
    base_url: str,
) -> Patient:
    """The front desk registers a patient who phoned in or walked in.

    The phone is required and stored normalised (``hms.phones``). With an
    e-mail the patient is sent a link to choose a password; without one the
    account has no password and cannot sign in until staff add an e-mail.
    Possible duplicates are the form's warning (``patient_duplicates``), not
    a refusal here.
    """
    phone = normalize_phone(phone)
    if not phone:
        raise ValidationError({"phone": _("A phone number is required.")})
    user = user_create(
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        phone=phone,
        role=Role.PATIENT,
    )
    patient = Patient(user=user, date_of_birth=date_of_birth, gender=gender)
    patient.full_clean(exclude=["user"])
    patient.save()
    if user.email:
        account_invite(user=user, base_url=base_url)
    return patient


@transaction.atomic
def doctor_update(
    *,
    doctor: Doctor,
    email: str,
    first_name: str,
    last_name: str,
    phone: str,
    department: Department,
    specialization: str,
    qualification: str,
    experience_years: int,
    consultation_minutes: int,
    bio: str,
    is_accepting_patients: bool,
    registration_number: str = "",
) -> Doctor:
    user_update(
        user=doctor.user, first_name=first_name, last_name=last_name, email=email, phone=phone
    )
    doctor.department = department
    doctor.specialization = specialization
    doctor.qualification = qualification
    doctor.registration_number = registration_number
    doctor.experience_years = experience_years
    doctor.consultation_minutes = consultation_minutes
    doctor.bio = bio
    doctor.is_accepting_patients = is_accepting_patients
    doctor.full_clean()
    doctor.save()
    directory_changed()
    return doctor


@transaction.atomic
def doctor_disable(*, doctor: Doctor, reason: str, by: User) -> Doctor:
    """Blacklist a doctor: no sign-in, hidden from patients, not bookable."""
    user_disable(user=doctor.user, reason=reason, by=by)
    directory_changed()
    return doctor


@transaction.atomic
def doctor_enable(*, doctor: Doctor, by: User) -> Doctor:
    user_enable(user=doctor.user, by=by)
    directory_changed()
    return doctor


# Clinical records


def _prescription(items: Iterable[Mapping]) -> list[PrescriptionItem]:
    """Validated, unsaved prescription lines; every line's errors at once."""
    lines, errors = [], []
    for n, item in enumerate(items, start=1):
        line = PrescriptionItem(
            medicine=(item.get("medicine") or "").strip(),
            dosage=(item.get("dosage") or "").strip(),
            frequency=(item.get("frequency") or "").strip(),
            duration_days=item.get("duration_days"),
            instructions=(item.get("instructions") or "").strip(),
        )
        try:
            line.full_clean(exclude=["treatment"])
        except ValidationError as exc:
            errors.extend(
                _("Prescription line %(n)d: %(message)s") % {"n": n, "message": m}
                for m in exc.messages
            )
        lines.append(line)
    if errors:
        raise ValidationError(errors)
    return lines


def _write(
    treatment: Treatment,
    *,
    diagnosis: str,
    icd10_code: str,
    notes: str,
    items: Iterable[Mapping],
    next_visit_on: date | None,
    today: date,
) -> Treatment:
    """Validate the record and every prescription line, then save them; the lines
    replace any the record had.
    """
    treatment.diagnosis = diagnosis.strip()
    treatment.icd10_code = icd10.normalize(icd10_code)
    treatment.notes = notes.strip()
    treatment.next_visit_on = next_visit_on
    refusal = next_visit_refusal(next_visit_on, today=today)
    if refusal:
        raise ValidationError({"next_visit_on": refusal})
    treatment.full_clean(exclude=["patient", "doctor"])
    lines = _prescription(items)
    treatment.save()
    treatment.items.all().delete()
    # One save per line (not bulk_create), so the audit log records each line.
    for line in lines:
        line.treatment = treatment
        line.save()
    return treatment


@transaction.atomic
def treatment_record(
    *,
    patient: Patient,
    doctor: Doctor,
    diagnosis: str,
    icd10_code: str = "",
    notes: str = "",
    items: Iterable[Mapping] = (),
    next_visit_on: date | None = None,
    visit_date: date | None = None,
    now: datetime | None = None,
) -> Treatment:
    """Record what ``doctor`` found and prescribed when ``patient`` visited.

    The visit is today (clinic time) unless ``visit_date`` says otherwise; a
    suggested next visit must be after today. All or nothing: one bad
    prescription line saves nothing.
    """
    now = now or timezone.now()
    today = clinic_today(now)
    return _write(
        Treatment(patient=patient, doctor=doctor, visit_date=visit_date or today),
        diagnosis=diagnosis,
        icd10_code=icd10_code,
        notes=notes,
        items=items,
        next_visit_on=next_visit_on,
        today=today,
    )


BREAK_GLASS_REASON_NEEDED = gettext_noop(
    "You have no appointment with this patient and have not treated them before: "
    "say why you are recording this visit (it is kept in the audit log and shown to the patient)."
)


@transaction.atomic
def walkin_record(
    *, patient: Patient, doctor: Doctor, reason: str = "", now: datetime | None = None, **record
) -> Treatment:
    """Record a walk-in: a visit with no appointment.

    For a patient the doctor has no appointment with and has never treated,
    this is break-the-glass: it opens the patient's whole history to the
    doctor, so a reason is required, kept on the record and in the audit log
    (flagged), where the patient sees it among who viewed their record.
    """
    reason = " ".join((reason or "").split())
    breaking_glass = not doctor_knows_patient(doctor=doctor, patient=patient)
    if breaking_glass and not reason:
        raise ValidationError({"reason": _(BREAK_GLASS_REASON_NEEDED)})
    treatment = treatment_record(patient=patient, doctor=doctor, now=now, **record)
    if breaking_glass:
        treatment.access_reason = reason
        treatment.full_clean(exclude=["patient", "doctor"])
        treatment.save(update_fields=["access_reason"])
        record_break_glass(patient, by=doctor.user, reason=reason)
    return treatment


@transaction.atomic
def treatment_amend(
    *,
    treatment: Treatment,
    by,
    diagnosis: str,
    icd10_code: str = "",
    notes: str = "",
    items: Iterable[Mapping] = (),
    next_visit_on: date | None = None,
    now: datetime | None = None,
) -> Treatment:
    """The treating doctor corrects a visit record inside the amend window.

    The prescription is replaced by ``items``; who amended it and when is kept.
    """
    now = now or timezone.now()
    treatment = (
        Treatment.objects.select_for_update(of=("self",))
        .select_related("doctor__user", "patient__user")
        .get(pk=treatment.pk)
    )
    refusal = treatment.amend_refusal(by=by, now=now)
    if refusal:
        raise ValidationError(refusal)
    treatment.amended_at = now
    treatment.amended_by = by
    return _write(
        treatment,
        diagnosis=diagnosis,
        icd10_code=icd10_code,
        notes=notes,
        items=items,
        next_visit_on=next_visit_on,
        today=clinic_today(now),
    )
