"""Celery tasks of reports. Each takes ids and calls a service."""

from celery import shared_task


@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=3600, time_limit=3660)
def run_export(job_id: str) -> bool:
    from reports import services

    return services.export_run(job_id=job_id)


@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=600, time_limit=660)
def expire_exports() -> int:
    from reports import services

    return services.exports_expire()
