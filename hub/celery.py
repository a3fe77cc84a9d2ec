"""The Celery application. Workers: `celery -A hub worker`; scheduler: `celery -A hub beat`."""

import logging
import os

from celery import Celery, signals
from celery.beat import SchedulingError
from celery.schedules import crontab
from celery.worker.consumer import Consumer as CeleryConsumer
from kombu.exceptions import OperationalError as KombuOperationalError
from kombu.transport import TRANSPORT_ALIASES

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings.dev")

# `filesystem://`, the embedded broker of the README's run command, is kombu's filesystem
# transport without its races between processes; `redis://` is kombu's Redis transport that
# lets a worker ride out a Redis restart (hub/broker.py explains both).
TRANSPORT_ALIASES["filesystem"] = "hub.broker:Transport"
TRANSPORT_ALIASES["redis"] = "hub.broker:RedisTransport"

logger = logging.getLogger(__name__)


class Consumer(CeleryConsumer):
    """The worker's broker connection: survives a broker restart and is back within seconds.

    - Closing a connection that is already dead must not stop the worker: any failure there
      is logged and the worker reconnects (hub.broker.RedisChannel removes the known one).
    - Celery's consumer retries a lost broker with pauses growing by 2 s up to 30 s, so after
      a one-minute outage a worker idled up to half a minute more with the broker back. Here
      it tries again every 2 s (forever: broker_connection_max_retries is None).
    """

    def on_connection_error_after_connected(self, exc):
        connection = self.connection
        if connection is not None:
            release = connection.release

            def release_quietly():
                try:
                    release()
                except Exception as error:  # noqa: BLE001 (the connection is dead anyway)
                    logger.warning("Closing the lost broker connection failed: %r", error)

            connection.close = connection.release = release_quietly
        return super().on_connection_error_after_connected(exc)

    def ensure_connected(self, conn):
        ensure = conn.ensure_connection

        def ensure_promptly(*args, **kwargs):
            kwargs.update(interval_start=1, interval_step=1, interval_max=2)
            return ensure(*args, **kwargs)

        conn.ensure_connection = ensure_promptly
        return super().ensure_connected(conn)


class BrokerDownInOneLine(logging.Filter):
    """Beat's "Couldn't apply scheduled task" for a broker it cannot reach, in one line.

    Celery logs each periodic job it fails to send with the whole call stack and the
    chained tracebacks of the connection attempt: some 200 lines (4.5 KB) every few seconds
    (the dispatcher runs every 5 s), 4 MB an hour of a broker outage, burying anything
    else. The job is tried again at its next time; the line says that. Other failures keep
    their traceback.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, SchedulingError) and _broker_unreachable(error):
            record.msg = "%s (the broker cannot be reached; the job is sent again at its next time)"
            record.args = (error,)
            record.exc_info = record.exc_text = record.stack_info = None
        return True


def _broker_unreachable(error: BaseException) -> bool:
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, (KombuOperationalError, OSError)):
            return True
        error = error.__cause__ or error.__context__
    return False


logging.getLogger("celery.beat").addFilter(BrokerDownInOneLine())

app = Celery("enlace")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.worker_init.connect
def settle_worker(**_kwargs) -> None:
    """Once the worker has loaded its tasks, and before it starts its pool: as a web process
    does (hub/process.py), so no job pauses for a collection of the whole of Django."""
    from hub.process import settle

    settle()


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
    # RSS/Atom feeds of the institutions' sites: new items become drafts for an officer.
    "campaigns-read-feeds": {"task": "campaigns.read_feeds",
                             "schedule": _every("ENLACE_FEEDS_INTERVAL", "900")},
    # Wagtail's scheduled publishing (go-live / expiry of pages and snippets).
    "publish-scheduled": {"task": "hub.publish_scheduled", "schedule": 60.0},
    # Sign-in sessions past their expiry (Django never deletes them by itself).
    "clear-expired-sessions": {"task": "hub.clear_expired_sessions", "schedule": 3600.0},
    # Sign-ins older than ENLACE_ACCESS_LOG_DAYS in django-axes' access log.
    "clear-old-access-logs": {"task": "hub.clear_old_access_logs", "schedule": 3600.0},
    # Mail files older than ENLACE_MAIL_FILES_DAYS, when mail is written to var/mail/.
    "clear-old-mail-files": {"task": "hub.clear_old_mail_files", "schedule": 3600.0},
    # Contests: files of withdrawn entries and of drafts never sent are not kept.
    "contests-purge-files": {"task": "contests.purge_unneeded_files",
                             "schedule": crontab(hour=3, minute=30)},
    # Publications: files whose job a killed worker or an emptied broker lost are asked again.
    "publications-repair-files": {"task": "publications.repair_files", "schedule": 600.0},
    # Publications: booklets whose current edition rests on a law since replaced or reformed.
    "publications-pending-reforms": {"task": "publications.notify_pending_reforms",
                                     "schedule": crontab(hour=8, minute=15)},
    # Satisfaction surveys to the attendees of events that ended (network/domain/participation).
    "participation-surveys": {"task": "network.send_participation_surveys",
                              "schedule": _every("ENLACE_SURVEY_INTERVAL", "3600")},
    # Reminders to the people responsible for agreements about to expire.
    "agreement-reminders": {
        "task": "network.send_agreement_reminders",
        "schedule": crontab(hour=9, minute=0),
    },
    # Municipal roadmaps: annual milestones repeat; overdue milestones are reminded.
    "roadmap-daily": {"task": "network.roadmap_daily", "schedule": crontab(hour=9, minute=10)},
}

# A periodic job's message expires when its next run is due (never under a minute, so a clock
# a few seconds off between beat's machine and a worker's drops nothing): beat goes on sending
# while every worker is down (the dispatcher 720 times an hour), and a worker that came back
# ran each of those messages in a row (feeds read and reach pulled again and again). The
# worker drops the expired ones; the next run does the work (each job looks at the database,
# not at what it missed). Daily jobs keep theirs for 12 hours: a worker back the same day
# still runs them.
for _entry in app.conf.beat_schedule.values():
    _schedule = _entry["schedule"]
    _entry.setdefault("options", {})["expires"] = (
        12 * 3600.0 if isinstance(_schedule, crontab) else max(60.0, float(_schedule)))
