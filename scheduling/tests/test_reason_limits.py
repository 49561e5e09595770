"""Issue 17: every reason field states its length limit on the form (not silently cut)."""

import pytest
from django.utils import translation

from scheduling.forms import (
    REASON_MAX,
    BookingForm,
    CancelForm,
    ExceptionForm,
    FutureBookingsForm,
    WalkInForm,
)

pytestmark = pytest.mark.django_db

FIELDS = [
    (BookingForm, "reason"),
    (CancelForm, "reason"),
    (ExceptionForm, "cancel_reason"),
    (WalkInForm, "reason"),
    (FutureBookingsForm, "reason"),
]


@pytest.mark.parametrize(("form", "name"), FIELDS)
def test_it_states_the_limit_of_every_reason(form, name):
    field = form.base_fields[name]

    assert field.max_length == REASON_MAX
    assert "Up to 500 characters." in str(field.help_text)


def test_it_keeps_the_booking_hint_before_the_limit_in_hindi():
    with translation.override("hi"):
        text = str(BookingForm.base_fields["reason"].help_text)

    assert text.endswith("अधिकतम 500 अक्षर।")
    assert "Optional" not in text


def test_it_refuses_a_longer_reason_with_the_limit_in_the_error():
    form = BookingForm(data={"start": "2030-01-07T10:00:00+05:30", "reason": "x" * 501})

    assert not form.is_valid()
    assert "at most 500 characters" in form.errors["reason"][0]
