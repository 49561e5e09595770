"""Celery tasks of scheduling. Each takes ids (or nothing) and calls a service."""

from celery import shared_task


@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=240, time_limit=290)
def send_reminders() -> int:
    """The periodic job (every 5 minutes): the reminders due now, into the outbox."""
    from scheduling import services

    return services.reminders_send()
