"""The Celery application. Workers: `celery -A hub worker`; scheduler: `celery -A hub beat`."""

import os

from celery import Celery
from celery.schedules import crontab
from kombu.transport import TRANSPORT_ALIASES

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings.dev")

# `filesystem://`, the embedded broker of the README's run command, is kombu's filesystem
# transport without its races between processes (hub/broker.py explains them).
TRANSPORT_ALIASES["filesystem"] = "hub.broker:Transport"

app = Celery("enlace")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _every(variable: str, default: str) -> float:
    """Seconds between runs of a periodic job, from the environment (see the README)."""
    return float(os.environ.get(variable, default))


app.conf.beat_schedule = {
    # Campaigns: enqueue due deliveries, recover stuck ones, check tokens, pull reach.
    "campaigns-dispatch": {"task": "campaigns.dispatch",
                           "schedule": _every("ENLACE_DISPATCH_INTERVAL", "5")},
    "campaigns-sweep": {"task": "campaigns.sweep", "schedule": _every("ENLACE_SWEEP_INTERVAL", "30")},
    "campaigns-check-channels": {"task": "campaigns.check_channels",
                                 "schedule": _every("ENLACE_CHANNEL_CHECK_INTERVAL", "21600")},
    "campaigns-pull-metrics": {"task": "campaigns.pull_metrics",
                               "schedule": _every("ENLACE_METRICS_INTERVAL", "3600")},
    # Wagtail's scheduled publishing (go-live / expiry of pages and snippets).
    "publish-scheduled": {"task": "hub.publish_scheduled", "schedule": 60.0},
    # Contests: files of withdrawn entries and of drafts never sent are not kept.
    "contests-purge-files": {"task": "contests.purge_unneeded_files",
                             "schedule": crontab(hour=3, minute=30)},
    # Reminders to the people responsible for agreements about to expire.
    "agreement-reminders": {
        "task": "network.send_agreement_reminders",
        "schedule": crontab(hour=9, minute=0),
    },
}
