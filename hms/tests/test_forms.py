"""The shared form helpers: the date and time widgets, the submit helper and
the crispy layout of a form's fields."""

from datetime import date, time

from django import forms
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import translation

from hms.forms import DateInput, TimeInput, crispy_fields, form_status, submit
from scheduling.forms import WaitlistForm


class _Visit(forms.Form):
    day = forms.DateField(widget=DateInput())
    at = forms.TimeField(widget=TimeInput())


def test_it_renders_dates_and_times_as_the_browser_pickers_read_them():
    form = _Visit(initial={"day": date(2026, 12, 1), "at": time(9, 5)})

    assert 'type="date"' in str(form["day"])
    assert 'value="2026-12-01"' in str(form["day"])
    assert 'type="time"' in str(form["at"])
    assert 'value="09:05"' in str(form["at"])


def test_it_puts_a_service_refusal_next_to_the_field_and_answers_422():
    request = RequestFactory().post("/", {"day": "2026-12-01", "at": "09:00"})
    form = _Visit(request.POST)

    def refuse(**data):
        raise ValidationError({"day": "The clinic is closed that day."})

    assert submit(request, form, refuse) is None
    assert form.errors == {"day": ["The clinic is closed that day."]}
    assert form_status(form) == 422


def test_it_passes_the_cleaned_data_and_answers_200_when_nothing_was_refused():
    request = RequestFactory().post("/", {"day": "2026-12-01", "at": "09:00"})
    form = _Visit(request.POST)

    saved = submit(request, form, lambda **data: data, by="someone")

    assert saved == {"day": date(2026, 12, 1), "at": time(9, 0), "by": "someone"}
    assert form_status(form) == 200
    assert form_status(_Visit()) == 200  # not submitted


def test_it_calls_nothing_on_a_get():
    request = RequestFactory().get("/")

    assert submit(request, _Visit(), lambda **data: "saved") is None


def test_it_lays_out_an_empty_form_in_the_language_of_the_page():
    english = crispy_fields(WaitlistForm())
    with translation.override("hi"):
        hindi = crispy_fields(WaitlistForm())

    assert "From" in english
    assert 'name="first_day"' in english
    assert "From" not in hindi
    assert 'name="first_day"' in hindi
    assert crispy_fields(WaitlistForm()) == english
    assert "csrfmiddlewaretoken" not in english  # the page's own form carries it


def test_it_lays_out_a_submitted_form_with_its_values_and_errors():
    form = WaitlistForm({"first_day": "2026-12-03", "last_day": "not a day"})

    html = crispy_fields(form)

    assert 'value="2026-12-03"' in html
    assert "Enter a valid date." in html
    assert 'value="2026-12-03"' not in crispy_fields(WaitlistForm())
