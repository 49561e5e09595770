"""Celery tasks of the outbox. Each takes ids and calls a service."""

from celery import shared_task


@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=30, time_limit=60)
def send_notification(notification_id: int) -> bool:
    """Idempotent: the claim makes a second run or a redelivery send nothing."""
    from notifications import services

    return services.notification_send(notification_id=notification_id)


@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=120, time_limit=180)
def dispatch_notifications() -> int:
    """The sweep (beat, every minute): due and stale rows to the workers."""
    from notifications import services

    return services.notifications_dispatch()
