"""Writes for scheduling, one module a subdomain: availability, booking,
attendance (visits, check-in and the queue) and reminders. Callers import
``scheduling.services`` and use the names below; each lives in its module."""

from __future__ import annotations

from scheduling.services.attendance import (
    appointment_check_in,
    appointment_complete,
    appointment_complete_with_treatment,
    appointment_mark_no_show,
    queue_call_next,
    queue_display_create,
    queue_display_revoke,
    walk_in_check_in,
    walk_in_slot,
)
from scheduling.services.availability import (
    exception_add,
    exception_affected,
    exception_remove,
    weekly_block_add,
    weekly_block_remove,
)
from scheduling.services.booking import (
    SLOT_GONE,
    appointment_book,
    appointment_cancel,
    appointment_reschedule,
    patient_bookings_cancel,
)
from scheduling.services.reminders import (
    lead_times,
    reminders_send,
)

__all__ = [
    "SLOT_GONE",
    "appointment_book",
    "appointment_cancel",
    "appointment_check_in",
    "appointment_complete",
    "appointment_complete_with_treatment",
    "appointment_mark_no_show",
    "appointment_reschedule",
    "exception_add",
    "exception_affected",
    "exception_remove",
    "lead_times",
    "patient_bookings_cancel",
    "queue_call_next",
    "queue_display_create",
    "queue_display_revoke",
    "reminders_send",
    "walk_in_check_in",
    "walk_in_slot",
    "weekly_block_add",
    "weekly_block_remove",
]
