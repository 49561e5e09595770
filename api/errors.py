"""One mapping from the services' ValidationErrors to the API's error bodies.

The pages put a service's ValidationError next to its form field
(``hms.forms.add_service_errors``); the API sends the same messages with the
same field names: ``{"detail": ..., "errors": [{"field": ..., "message": ...}]}``
(``field`` is null for an error about the whole request).
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

# Codes of errors that mean "someone else has it": 409 Conflict, not 422.
CONFLICT_CODES = {"slot_taken"}


def error_items(exc: ValidationError) -> list[dict[str, str | None]]:
    """The field and message of every error in ``exc``."""
    if hasattr(exc, "error_dict"):
        return [
            {"field": None if field == NON_FIELD_ERRORS else field, "message": message}
            for field, errors in exc.error_dict.items()
            for message in ValidationError(errors).messages
        ]
    return [{"field": None, "message": message} for message in exc.messages]


def error_status(exc: ValidationError) -> int:
    """409 when the request lost to another (a taken slot), else 422."""
    codes = {error.code for error in exc.error_list} if not hasattr(exc, "error_dict") else set()
    if hasattr(exc, "error_dict"):
        for errors in exc.error_dict.values():
            codes |= {error.code for error in errors}
    return 409 if codes & CONFLICT_CODES else 422


def error_body(exc: ValidationError) -> dict:
    items = error_items(exc)
    return {"detail": " ".join(item["message"] for item in items), "errors": items}
