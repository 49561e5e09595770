"""The Celery app. Configured from Django settings (the ``CELERY_`` names).

Without ``REDIS_URL`` tasks run eagerly in-process, so a laptop needs no
broker; with it, Redis is the broker and workers and beat run as their own
processes (see the Procfile).
"""

import logging
import os

from celery import Celery

logger = logging.getLogger(__name__)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hms.settings")

app = Celery("hms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def enqueue(task, *args) -> bool:
    """``task.delay(*args)``, but a broker outage is logged and answered False,
    never raised: the change that asked for the work has committed, and a
    sweep (beat) picks up what was not enqueued once the broker is back.
    """
    try:
        task.delay(*args)
    except Exception:
        logger.exception("Could not enqueue %s%r; its sweep will", task.name, args)
        return False
    return True


def enqueue_on_commit(task, *args) -> None:
    """``enqueue`` once the current transaction commits (``delay_on_commit``
    without the error a broker outage would raise into the request).
    """
    from django.db import transaction

    transaction.on_commit(lambda: enqueue(task, *args))
