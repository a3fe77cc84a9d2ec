"""Periodic jobs after downtime: what beat sent while no worker ran does not all run at once."""

from datetime import UTC, datetime

from celery.beat import ScheduleEntry, Scheduler
from celery.schedules import crontab


def _sent_by_beat(monkeypatch, name: str, conf: dict) -> dict:
    """The options beat sends the periodic job ``name`` with (its message's headers)."""
    from hub.celery import app

    sent = {}
    task = app.tasks[conf["task"]]
    monkeypatch.setattr(task, "apply_async", lambda *args, **options: sent.update(options))
    entry = ScheduleEntry(name=name, app=app, **conf)
    Scheduler(app, lazy=True).apply_async(entry, producer=object())
    return sent


def test_each_periodic_job_sent_while_every_worker_is_down_expires_instead_of_piling_up(
        monkeypatch):
    """Beat goes on sending the dispatcher every 5 s while every worker is down: 720 messages
    an hour, with the sweeper's 120, the page publisher's 60, the feeds' and the reach pulls'.
    A worker that came back ran every one of them in a row (each feed read and X's metrics
    pulled again and again). Each message expires when its next run is due, so the worker
    drops the stale ones and runs the job once."""
    from hub.celery import app

    app.loader.import_default_modules()  # every job registered, as in a worker
    now = datetime.now(UTC)
    for name, conf in app.conf.beat_schedule.items():
        options = _sent_by_beat(monkeypatch, name, conf)
        expires = options.get("expires")
        assert expires is not None, f"{name} never expires"
        seconds = expires if isinstance(expires, (int, float)) else (expires - now).total_seconds()
        schedule = conf["schedule"]
        # At most until the next run (a minute at least: clocks of machines differ a little).
        interval = (24 * 3600 if isinstance(schedule, crontab) else max(60, float(schedule)))
        assert 0 < seconds <= interval + 1, (name, seconds, interval)
