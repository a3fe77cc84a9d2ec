"""The Celery application. Workers: `celery -A hub worker`; scheduler: `celery -A hub beat`."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings.dev")

app = Celery("enlace")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # Wagtail's scheduled publishing (go-live / expiry of pages and snippets).
    "publish-scheduled": {"task": "hub.publish_scheduled", "schedule": 60.0},
    # Reminders to the people responsible for agreements about to expire.
    "agreement-reminders": {
        "task": "network.send_agreement_reminders",
        "schedule": crontab(hour=9, minute=0),
    },
}
