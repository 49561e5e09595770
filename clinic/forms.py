from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.forms import formsets
from django.urls import reverse_lazy
from django.utils.translation import get_language, gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from accounts.models import User, UserManager
from clinic import icd10
from clinic.models import (
    ACCESS_REASON_MAX,
    ADDRESS_MAX,
    ALLERGIES_MAX,
    DESCRIPTION_MAX,
    DIAGNOSIS_MAX,
    DOSAGE_MAX,
    FREQUENCY_MAX,
    INSTRUCTIONS_MAX,
    MEDICINE_MAX,
    NOTES_MAX,
    Department,
    Patient,
    Treatment,
    next_visit_refusal,
)
from hms.clinic_time import clinic_today
from hms.forms import DateInput, up_to
from hms.phones import INVALID_PHONE, readable_phone


class PatientRegistrationForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150, help_text=up_to(150))
    last_name = forms.CharField(label=_("Last name"), max_length=150, help_text=up_to(150))
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(Column("first_name"), Column("last_name")),
            Row(Column("email"), Column("phone")),
            "password1",
            "password2",
        )
        self.helper.add_input(Submit("submit", _("Create my account")))

    def clean_email(self) -> str:
        # Whether the address already has an account is said in an e-mail to
        # it, never on this page (services.patient_sign_up).
        return UserManager.normalize_email(self.cleaned_data["email"])

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords do not match."))
        elif password1:
            candidate = User(
                email=cleaned.get("email", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password1, user=candidate)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


def _helper(label: str, *layout) -> FormHelper:
    helper = FormHelper()
    if layout:
        helper.layout = Layout(*layout)
    helper.add_input(Submit("submit", label))
    return helper


class SearchForm(forms.Form):
    """The GET search box of the directory lists (works with and without HTMX)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)


class DepartmentForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120, help_text=up_to(120))
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=DESCRIPTION_MAX,
        help_text=up_to(DESCRIPTION_MAX),
    )

    def __init__(self, *args, submit_label: str = _("Save department"), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(submit_label)


class DoctorForm(forms.Form):
    """An admin creates or edits a doctor; the service checks the rules again."""

    first_name = forms.CharField(label=_("First name"), max_length=150, help_text=up_to(150))
    last_name = forms.CharField(label=_("Last name"), max_length=150, help_text=up_to(150))
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.order_by("name")
    )
    specialization = forms.CharField(
        label=_("Specialization"), max_length=120, help_text=up_to(120)
    )
    qualification = forms.CharField(
        label=_("Qualification"), max_length=200, required=False, help_text=up_to(200)
    )
    registration_number = forms.CharField(
        label=_("Registration number"),
        max_length=40,
        required=False,
        help_text=up_to(40, _("Medical council registration, printed on prescriptions.")),
    )
    experience_years = forms.IntegerField(label=_("Years of experience"), min_value=0, max_value=70)
    consultation_minutes = forms.IntegerField(
        label=_("Consultation length (minutes)"),
        min_value=5,
        max_value=240,
        initial=15,
        help_text=_("The length of one bookable slot."),
    )
    bio = forms.CharField(
        label=_("Bio"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=DESCRIPTION_MAX,
        help_text=up_to(DESCRIPTION_MAX),
    )
    is_accepting_patients = forms.BooleanField(
        label=_("Accepting new bookings"), required=False, initial=True
    )

    def __init__(self, *args, user: User | None = None, submit_label: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["department"].label_from_instance = lambda department: (
            department.name
            if department.is_active
            else gettext("%(department)s (inactive)") % {"department": department.name}
        )
        if user is None:
            # A new doctor always starts out accepting bookings.
            del self.fields["is_accepting_patients"]
        self.helper = _helper(
            submit_label,
            Row(Column("first_name"), Column("last_name")),
            Row(Column("email"), Column("phone")),
            Row(Column("department"), Column("specialization")),
            Row(Column("qualification"), Column("registration_number")),
            Row(Column("experience_years"), Column("consultation_minutes")),
            "bio",
            *(["is_accepting_patients"] if user is not None else []),
        )

    def clean_email(self) -> str:
        # Whether it is already used is the service's rule (in any letter case).
        return UserManager.normalize_email(self.cleaned_data["email"])


class PatientProfileForm(forms.Form):
    """What a patient keeps up to date about themself."""

    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput())
    gender = forms.ChoiceField(
        label=_("Sex"), choices=[("", "—"), *Patient.Gender.choices], required=False
    )
    blood_group = forms.ChoiceField(
        label=_("Blood group"),
        choices=[("", _("Unknown")), *Patient.BloodGroup.choices],
        required=False,
    )
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    address = forms.CharField(
        label=_("Address"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=ADDRESS_MAX,
        help_text=up_to(ADDRESS_MAX),
    )
    emergency_contact_name = forms.CharField(
        label=_("Emergency contact name"), max_length=150, required=False, help_text=up_to(150)
    )
    emergency_contact_phone = forms.CharField(
        label=_("Emergency contact phone"), max_length=32, required=False
    )
    allergies = forms.CharField(
        label=_("Allergies"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=ALLERGIES_MAX,
        help_text=up_to(ALLERGIES_MAX, _("Medicines, foods or anything else you react to.")),
    )
    # The person's own language (their pages and e-mails); left out, it stays as it is.
    preferred_language = forms.ChoiceField(
        label=_("Language"), choices=settings.LANGUAGES, required=False
    )

    def __init__(self, *args, submit_label: str = _("Save my profile"), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(submit_label, *self._layout())

    def _layout(self) -> list:
        return [
            Row(Column("date_of_birth"), Column("gender"), Column("blood_group")),
            "phone",
            "address",
            Row(Column("emergency_contact_name"), Column("emergency_contact_phone")),
            "allergies",
            "preferred_language",
        ]

    @staticmethod
    def initial_for(patient: Patient) -> dict:
        return {
            "date_of_birth": patient.date_of_birth,
            "gender": patient.gender,
            "blood_group": patient.blood_group,
            "phone": readable_phone(patient.user.phone),
            "address": patient.address,
            "emergency_contact_name": patient.emergency_contact_name,
            "emergency_contact_phone": readable_phone(patient.emergency_contact_phone),
            "allergies": patient.allergies,
            "preferred_language": patient.user.preferred_language or get_language(),
            "first_name": patient.user.first_name,
            "last_name": patient.user.last_name,
            "email": patient.user.email,
        }


class PatientAdminForm(PatientProfileForm):
    """An admin also corrects the patient's name and e-mail."""

    first_name = forms.CharField(label=_("First name"), max_length=150, help_text=up_to(150))
    last_name = forms.CharField(label=_("Last name"), max_length=150, help_text=up_to(150))
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        required=False,
        help_text=_("A patient without one cannot sign in; adding one lets them set a password."),
    )

    field_order = ["first_name", "last_name", "email"]

    def __init__(self, *args, user: User, **kwargs) -> None:
        self.user = user
        super().__init__(*args, submit_label=_("Save patient"), **kwargs)

    def _layout(self) -> list:
        return [Row(Column("first_name"), Column("last_name")), "email", *super()._layout()]

    def clean_email(self) -> str:
        # Whether it is already used is the service's rule (in any letter case).
        return UserManager.normalize_email(self.cleaned_data["email"])


class DisableForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=255,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept on the account and shown to the hospital staff."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Disable account"))
        self.helper.inputs[0].field_classes = "btn btn-danger"


# Clinical records


class TreatmentForm(forms.Form):
    """The visit record: what the doctor found, did and suggests next."""

    diagnosis = forms.CharField(
        label=_("Diagnosis"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=DIAGNOSIS_MAX,
        help_text=up_to(DIAGNOSIS_MAX),
    )
    icd10_code = forms.CharField(
        label=_("ICD-10 code"),
        max_length=10,
        required=False,
        help_text=_("Optional. Type a code or words of the diagnosis and pick from the list."),
        widget=forms.TextInput(
            attrs={
                "list": "icd10-options",
                "autocomplete": "off",
                "hx-get": reverse_lazy("clinic:icd10-search"),
                "hx-trigger": "input changed delay:250ms",
                "hx-target": "#icd10-options",
                "hx-swap": "innerHTML",
            }
        ),
    )
    notes = forms.CharField(
        label=_("Treatment notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=NOTES_MAX,
        help_text=up_to(NOTES_MAX),
    )
    next_visit_on = forms.DateField(
        label=_("Next visit"),
        required=False,
        widget=DateInput(),
        help_text=_("Optional. The patient is offered to book this day."),
    )

    def clean_icd10_code(self) -> str:
        code = icd10.normalize(self.cleaned_data["icd10_code"])
        icd10.validate_code(code)
        return code

    def clean_next_visit_on(self):
        day = self.cleaned_data["next_visit_on"]
        refusal = next_visit_refusal(day, today=clinic_today())
        if refusal:
            raise forms.ValidationError(refusal)
        return day


class PrescriptionItemForm(forms.Form):
    """One prescription line; each text states its limit, as the record's other fields do."""

    medicine = forms.CharField(
        label=_("Medicine"),
        max_length=MEDICINE_MAX,
        help_text=up_to(MEDICINE_MAX),
        error_messages={"required": _("Give the medicine's name.")},
    )
    dosage = forms.CharField(
        label=_("Dosage"),
        max_length=DOSAGE_MAX,
        help_text=up_to(DOSAGE_MAX),
        error_messages={"required": _("Give the dosage.")},
    )
    frequency = forms.CharField(
        label=_("Frequency"),
        max_length=FREQUENCY_MAX,
        help_text=up_to(FREQUENCY_MAX),
        error_messages={"required": _("Say how often to take it.")},
    )
    duration_days = forms.IntegerField(
        label=_("Days"),
        min_value=1,
        max_value=365,
        error_messages={
            "required": _("Give the number of days."),
            "min_value": _("The duration must be at least one day."),
        },
    )
    instructions = forms.CharField(
        label=_("Instructions"),
        max_length=INSTRUCTIONS_MAX,
        required=False,
        help_text=up_to(INSTRUCTIONS_MAX),
    )


LINES_NOT_READ = gettext_noop(
    "The prescription lines were not sent whole, so nothing was saved. "
    "Check the lines and save again."
)


class BasePrescriptionFormSet(forms.BaseFormSet):
    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove")

    def clean(self) -> None:
        """Refuse a form whose line count does not cover every line typed.

        Django reads only the first TOTAL_FORMS lines: a count that is negative,
        or smaller than the lines sent, would save the visit and drop a line
        the doctor typed without a word.
        """
        super().clean()
        if not self.is_bound:
            return
        counts = self.management_form.cleaned_data
        total = counts.get(formsets.TOTAL_FORM_COUNT, 0)
        initial = counts.get(formsets.INITIAL_FORM_COUNT, 0)
        if total < 0 or initial < 0 or initial > total:
            raise forms.ValidationError(gettext(LINES_NOT_READ), code="management")
        start = f"{self.prefix}-"
        for key, value in self.data.items():
            index, _, field = key.removeprefix(start).partition("-")
            if (
                key.startswith(start)
                and field in self.form.base_fields
                and index.isdigit()
                and int(index) >= total
                and str(value).strip()
            ):
                raise forms.ValidationError(gettext(LINES_NOT_READ), code="management")


PrescriptionFormSet = forms.formset_factory(
    PrescriptionItemForm,
    formset=BasePrescriptionFormSet,
    extra=2,
    can_delete=True,
    max_num=20,
    validate_max=True,
)
PRESCRIPTION_PREFIX = "items"


def treatment_forms(
    data=None, *, treatment: Treatment | None = None
) -> tuple[TreatmentForm, forms.BaseFormSet]:
    """The record form and its prescription lines, blank or filled from ``treatment``."""
    initial, lines = None, None
    if treatment is not None:
        initial = {
            "diagnosis": treatment.diagnosis,
            "icd10_code": treatment.icd10_code,
            "notes": treatment.notes,
            "next_visit_on": treatment.next_visit_on,
        }
        lines = [
            {f: getattr(item, f) for f in PrescriptionItemForm.base_fields}
            for item in treatment.items.all()
        ]
    form = TreatmentForm(data, initial=initial)
    formset = PrescriptionFormSet(data, initial=lines, prefix=PRESCRIPTION_PREFIX)
    if lines:
        formset.extra = 1
    return form, formset


def treatment_forms_with_new_line(data) -> tuple[TreatmentForm, forms.BaseFormSet]:
    """The form again as the doctor typed it, with one more blank prescription line:
    what "Add a line" does without JavaScript. Nothing is validated or saved yet.
    """
    form = TreatmentForm(initial={name: data.get(name, "") for name in TreatmentForm.base_fields})
    try:
        count = int(data.get(f"{PRESCRIPTION_PREFIX}-TOTAL_FORMS", 0))
    except ValueError:
        count = 0
    count = max(0, min(count, PrescriptionFormSet.max_num - 1))
    lines = [
        {
            f: data.get(f"{PRESCRIPTION_PREFIX}-{i}-{f}", "")
            for f in PrescriptionItemForm.base_fields
        }
        for i in range(count)
    ]
    formset = PrescriptionFormSet(initial=lines, prefix=PRESCRIPTION_PREFIX)
    formset.extra = 1
    return form, formset


def treatment_data(form: TreatmentForm, formset: forms.BaseFormSet) -> dict:
    """The service's keyword arguments from valid forms; removed and blank lines left out."""
    items = [
        {k: v for k, v in line.cleaned_data.items() if k != "DELETE"}
        for line in formset.forms
        if line.cleaned_data and not line.cleaned_data.get("DELETE")
    ]
    return {**form.cleaned_data, "items": items}


class BreakGlassForm(forms.Form):
    """Why a doctor records a walk-in for a patient they have no relationship with."""

    reason = forms.CharField(
        label=_("Why are you recording this visit?"),
        max_length=ACCESS_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=up_to(
            ACCESS_REASON_MAX,
            _(
                "You have no appointment with this patient and have not treated them "
                "before. Recording this visit opens their whole history to you; the reason "
                "is kept in the audit log and the patient sees that you opened their record."
            ),
        ),
        error_messages={"required": _("Say why you are recording this visit.")},
    )


class PatientSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Patient"),
        required=False,
        help_text=_("Name, e-mail or patient id (P000042)."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


# The front desk


class DeskPatientForm(forms.Form):
    """A patient registered at the front desk: the phone is required, the e-mail
    optional. ``confirm_duplicate`` is how the desk goes past the warning about
    a patient who may already be registered.
    """

    first_name = forms.CharField(label=_("First name"), max_length=150, help_text=up_to(150))
    last_name = forms.CharField(label=_("Last name"), max_length=150, help_text=up_to(150))
    phone = PhoneNumberField(
        label=_("Phone"),
        region=settings.HMS_PHONE_REGION,
        help_text=_("Without a country code it is read as a number of the clinic's country."),
        error_messages={"invalid": INVALID_PHONE},  # the services' words (hms.phones)
    )
    date_of_birth = forms.DateField(label=_("Date of birth"), widget=DateInput())
    gender = forms.ChoiceField(label=_("Sex"), choices=Patient.Gender.choices)
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        required=False,
        help_text=_(
            "Optional. With an e-mail the patient gets a link to set a password; "
            "without one they cannot sign in until staff add it."
        ),
    )
    confirm_duplicate = forms.BooleanField(
        label=_("This is a different person: register anyway"), required=False
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            _("Register patient"),
            Row(Column("first_name"), Column("last_name")),
            Row(Column("phone"), Column("email")),
            Row(Column("date_of_birth"), Column("gender")),
            "confirm_duplicate",
        )

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        if born > clinic_today():
            raise forms.ValidationError(_("The date of birth cannot be in the future."))
        if born.year < 1900:
            raise forms.ValidationError(_("Check the year of birth."))
        return born

    def clean_email(self) -> str | None:
        # Whether it is already used is the service's rule (in any letter case).
        return UserManager.normalize_email(self.cleaned_data["email"])

    def service_data(self) -> dict:
        """The cleaned data as ``patient_register_at_desk`` takes it."""
        data = dict(self.cleaned_data)
        data.pop("confirm_duplicate")
        data["phone"] = data["phone"].as_e164 if data["phone"] else ""
        return data


class StaffForm(forms.Form):
    """A staff account created by an admin (a receptionist): invited by e-mail."""

    first_name = forms.CharField(label=_("First name"), max_length=150, help_text=up_to(150))
    last_name = forms.CharField(label=_("Last name"), max_length=150, help_text=up_to(150))
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            _("Create account and send invitation"),
            Row(Column("first_name"), Column("last_name")),
            Row(Column("email"), Column("phone")),
        )

    def clean_email(self) -> str | None:
        # Whether it is already used is the service's rule (in any letter case).
        return UserManager.normalize_email(self.cleaned_data["email"])
