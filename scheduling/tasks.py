"""Celery tasks of scheduling. Each takes ids (or nothing) and calls a service."""

from celery import shared_task


@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=240, time_limit=290)
def send_reminders() -> int:
    """The periodic job (every 5 minutes): the reminders due now, into the outbox."""
    from scheduling import services

    return services.reminders_send()


@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=120, time_limit=180)
def expire_waitlist_holds() -> int:
    """The periodic job (every minute): expired holds go to the next patient waiting."""
    from scheduling import waitlist

    return waitlist.waitlist_holds_expire()
