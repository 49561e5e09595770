from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from clinic.models import Department, Doctor, doctor_name
from hms.forms import DateInput, LongSelect, TimeInput, up_to
from scheduling.models import Appointment, AvailabilityException, WeeklyAvailability
from scheduling.selectors import bookable_doctors

# Every reason (for a visit, told to a patient) is up to this long, said on the form.
REASON_MAX = 500


class BookingForm(forms.Form):
    """The chosen slot (its start, ISO 8601) and the reason for the visit."""

    start = forms.DateTimeField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason for the visit"),
        max_length=REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=up_to(REASON_MAX, _("Optional. A few words help the doctor prepare.")),
    )

    def clean_start(self):
        start = self.cleaned_data["start"]
        if start.tzinfo is None:
            raise forms.ValidationError(_("Choose a slot from the list."))
        return start


class RescheduleForm(forms.Form):
    start = forms.DateTimeField(widget=forms.HiddenInput)


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=up_to(REASON_MAX),
    )

    def __init__(self, *args, reason_required: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["reason"]
        field.required = reason_required
        field.help_text = (
            _("The patient receives this by e-mail.")
            if reason_required
            else _("Optional: tell us why, so we can improve.")
        )
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Cancel the appointment"), css_class="btn-danger"))


class WeeklyBlockForm(forms.ModelForm):
    class Meta:
        model = WeeklyAvailability
        fields = ["weekday", "start_time", "end_time"]
        widgets = {"start_time": TimeInput(), "end_time": TimeInput()}
        labels = {"weekday": _("Weekday"), "start_time": _("From"), "end_time": _("To")}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(
                Column("weekday", css_class="col-sm-4"),
                Column("start_time", css_class="col-6 col-sm-4"),
                Column("end_time", css_class="col-6 col-sm-4"),
            )
        )

    def validate_constraints(self, exclude=None):
        # The end-after-start rule is reported next to the field instead.
        pass

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The block must end after it starts."))
        return cleaned


class ExceptionForm(forms.ModelForm):
    """An exception; when it falls on booked appointments the page lists them and
    asks (``affected``) whether to keep them or cancel them and tell the patients.
    """

    KEEP, CANCEL = "keep", "cancel"
    affected = forms.ChoiceField(
        label=_("The booked appointments on that day"),
        choices=[
            (KEEP, _("Keep them (I will see these patients, or cancel them one by one)")),
            (CANCEL, _("Cancel them and tell the patients")),
        ],
        required=False,
        widget=forms.RadioSelect,
    )
    cancel_reason = forms.CharField(
        label=_("Reason told to the patients"),
        max_length=REASON_MAX,
        required=False,
        help_text=up_to(
            REASON_MAX, _('Only when cancelling, e.g. "Dr. Rao is on leave that day."')
        ),
    )

    class Meta:
        model = AvailabilityException
        fields = ["date", "kind", "start_time", "end_time", "note"]
        widgets = {"date": DateInput(), "start_time": TimeInput(), "end_time": TimeInput()}
        labels = {
            "date": _("Date"),
            "kind": _("Kind"),
            "start_time": _("From"),
            "end_time": _("To"),
            "note": _("Note"),
        }
        help_texts = {"start_time": _("Only for changed hours.")}

    def __init__(self, *args, ask_about_affected: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        fields = [
            Row(Column("date", css_class="col-sm-6"), Column("kind", css_class="col-sm-6")),
            Row(Column("start_time", css_class="col-6"), Column("end_time", css_class="col-6")),
            "note",
        ]
        if ask_about_affected or self["affected"].value():
            fields += ["affected", "cancel_reason"]
        self.helper.layout = Layout(*fields)

    def validate_constraints(self, exclude=None):
        pass

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if kind == AvailabilityException.Kind.CHANGED_HOURS:
            if not start:
                self.add_error("start_time", _("Give the hours the doctor works that day."))
            if not end:
                self.add_error("end_time", _("Give the hours the doctor works that day."))
            if start and end and end <= start:
                self.add_error("end_time", _("The hours must end after they start."))
        else:
            cleaned["start_time"] = cleaned["end_time"] = None
        return cleaned


class DoctorChoices(ModelChoiceIterator):
    """The doctors as (id, "Dr. name") straight from one values query: building a
    thousand Doctor and User objects only to print their names is the slow part.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        names = self.queryset.values_list("pk", "user__first_name", "user__last_name")
        for pk, first, last in names:
            yield (pk, doctor_name(first, last))


class DoctorChoiceField(forms.ModelChoiceField):
    iterator = DoctorChoices


class AppointmentFilterForm(forms.Form):
    q = forms.CharField(label=_("Patient"), required=False)
    doctor = DoctorChoiceField(
        label=_("Doctor"),
        queryset=Doctor.objects.all(),
        required=False,
        empty_label=_("Any doctor"),
        widget=LongSelect(attrs={"class": "form-select"}),
    )
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.all(),
        required=False,
        empty_label=_("Any department"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any status")), *Appointment.Status.choices],
        required=False,
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def export_filters(self) -> dict:
        """The valid filters as plain data, as an export job stores them."""
        data = self.cleaned_data
        return {
            "q": data["q"],
            "doctor": data["doctor"].pk if data["doctor"] else None,
            "department": data["department"].pk if data["department"] else None,
            "status": data["status"],
            "date_from": data["date_from"].isoformat() if data["date_from"] else None,
            "date_to": data["date_to"].isoformat() if data["date_to"] else None,
        }

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("date_from"), cleaned.get("date_to")
        if first and last and last < first:
            self.add_error("date_to", _("The end date must be on or after the start date."))
        return cleaned


class DeskFilterForm(forms.Form):
    """The front desk's day: one department, one doctor, a patient search."""

    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.listed().order_by("name"),
        required=False,
        empty_label=_("Every department"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    doctor = DoctorChoiceField(
        label=_("Doctor"),
        queryset=Doctor.objects.listed().order_by("user__last_name", "user__first_name", "id"),
        required=False,
        empty_label=_("Every doctor"),
        widget=LongSelect(attrs={"class": "form-select"}),
    )


class WalkInForm(forms.Form):
    """A patient without a booking, checked in straight into a doctor's queue."""

    doctor = DoctorChoiceField(
        label=_("Doctor"),
        queryset=Doctor.objects.none(),
        widget=LongSelect(attrs={"class": "form-select"}),
    )
    reason = forms.CharField(
        label=_("Reason for the visit"),
        max_length=REASON_MAX,
        required=False,
        help_text=up_to(REASON_MAX),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["doctor"].queryset = bookable_doctors().order_by(
            "user__last_name", "user__first_name", "id"
        )


class WaitlistForm(forms.Form):
    """Join a doctor's waitlist for a range of days."""

    first_day = forms.DateField(label=_("From"), widget=DateInput())
    last_day = forms.DateField(label=_("To"), widget=DateInput())

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Row(Column("first_day", css_class="col-6"), Column("last_day", css_class="col-6"))
        )


class FutureBookingsForm(forms.Form):
    """What happens to a disabled patient's future bookings."""

    KEEP, CANCEL = ExceptionForm.KEEP, ExceptionForm.CANCEL
    decision = forms.ChoiceField(
        label=_("Their future bookings"),
        choices=[
            (KEEP, _("Keep them")),
            (CANCEL, _("Cancel them and tell the patient")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason told to the patient"),
        max_length=REASON_MAX,
        required=False,
        help_text=up_to(REASON_MAX),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
