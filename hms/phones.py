"""Phone numbers: validated and stored in one form (E.164, ``+919845000001``).

A number typed without a country code is read in the clinic's region
(``HMS_PHONE_REGION``, India by default). Imports no app.
"""

from __future__ import annotations

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

INVALID_PHONE = _("Enter a valid phone number, e.g. 98450 00001 or +91 98450 00001.")


def normalize_phone(text: str, *, field: str = "phone") -> str:
    """``text`` as an E.164 number, or a ValidationError on ``field``; "" stays ""."""
    text = (text or "").strip()
    if not text:
        return ""
    try:
        number = phonenumbers.parse(text, settings.HMS_PHONE_REGION)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError({field: INVALID_PHONE})
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def readable_phone(text: str) -> str:
    """A stored number as people read it: ``+919845000001`` -> ``+91 98450 00001``.

    Anything that does not parse (a number stored before validation) is shown
    as it is; "" stays "".
    """
    text = (text or "").strip()
    if not text:
        return ""
    try:
        number = phonenumbers.parse(text, settings.HMS_PHONE_REGION)
    except phonenumbers.NumberParseException:
        return text
    if not phonenumbers.is_valid_number(number):
        return text
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
