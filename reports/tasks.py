"""Celery tasks of reports. Each takes ids and calls a service."""

from celery import shared_task


@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=3600, time_limit=3660)
def run_export(job_id: str) -> bool:
    from reports import services

    return services.export_run(job_id=job_id)


@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=60, time_limit=90)
def recover_exports() -> int:
    """The periodic sweep: exports whose worker died are run again, or failed."""
    from reports import services

    return services.exports_recover()


@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=120, time_limit=180)
def dispatch_exports() -> int:
    """The sweep (every minute): exports whose task was never enqueued."""
    from reports import services

    return services.exports_dispatch()


@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=600, time_limit=660)
def expire_exports() -> int:
    from reports import services

    return services.exports_expire()


@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=600, time_limit=660)
def send_monthly_reports(month: str | None = None) -> int:
    """The periodic job on the 1st: last month's report for every active doctor."""
    from datetime import date

    from reports import services

    return services.monthly_reports_run(month=date.fromisoformat(month) if month else None)
