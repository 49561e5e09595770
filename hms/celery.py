"""The Celery app. Configured from Django settings (the ``CELERY_`` names).

Without ``REDIS_URL`` tasks run eagerly in-process, so a laptop needs no
broker; with it, Redis is the broker and workers and beat run as their own
processes (see the Procfile).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hms.settings")

app = Celery("hms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
