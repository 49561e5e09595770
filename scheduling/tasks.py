"""Celery tasks of scheduling. Each takes ids and calls a service."""

from celery import shared_task


@shared_task(
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=30,
    time_limit=60,
)
def send_cancellation_notice(appointment_id: int) -> None:
    # Imported here: the services enqueue this task, so they import this module.
    from scheduling import services
    from scheduling.models import Appointment

    appointment = (
        Appointment.objects.select_related("patient__user", "doctor__user", "doctor__department")
        .filter(pk=appointment_id)
        .first()
    )
    if appointment is not None:
        services.cancellation_notice_send(appointment=appointment)


@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=300, time_limit=360)
def send_daily_reminders(day: str | None = None) -> int:
    """The periodic job: one reminder task per booked appointment of the day."""
    from datetime import date

    from scheduling import services

    return services.daily_reminders_send(day=date.fromisoformat(day) if day else None)


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_backoff_max=900,
    retry_jitter=True,
    max_retries=6,
    soft_time_limit=30,
    time_limit=60,
)
def send_reminder(appointment_id: int, channel: str) -> bool:
    """Idempotent: the claim row makes a second run (or a redelivery) send nothing."""
    from scheduling import services

    return services.reminder_send(appointment_id=appointment_id, channel=channel)
