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
