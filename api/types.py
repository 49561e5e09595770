"""Input types with the bounds the database and the calendar have, so junk
ids, huge numbers, NUL characters and far-off dates are a 422, never a 500.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from django.utils.translation import gettext as _
from pydantic import AfterValidator, AwareDatetime, Field, StringConstraints

# The largest id a 64-bit primary key can hold.
MAX_ID = 2**63 - 1
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Day = Annotated[date, Field(ge=FIRST_DAY, le=LAST_DAY)]


def Text(max_length: int, min_length: int = 0):
    """A string without NUL characters (PostgreSQL refuses them) of bounded length."""
    return Annotated[
        str,
        StringConstraints(min_length=min_length, max_length=max_length, pattern=r"^[^\x00]*$"),
    ]


def _in_calendar(value: datetime) -> datetime:
    if not FIRST_DAY <= value.date() <= LAST_DAY:
        raise ValueError(_("Choose a date between the years 1900 and 2999."))
    return value


Moment = Annotated[AwareDatetime, AfterValidator(_in_calendar)]
