"""What beat writes to its log while the broker is down."""

import logging

from celery.beat import ScheduleEntry, Scheduler


def test_a_periodic_job_beat_cannot_send_while_the_broker_is_down_is_one_log_line(caplog):
    """Beat tries the dispatcher every 5 s: Celery logged each failure with the whole call
    stack and three chained tracebacks (some 200 lines, 4.5 KB), 4 MB an hour of outage."""
    from hub.celery import app
    from tests.workers import free_port, use_broker

    original = app.conf.broker_url
    use_broker(app, f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    try:
        scheduler = Scheduler(app, lazy=True)
        entry = ScheduleEntry(name="campaigns-dispatch", task="campaigns.dispatch", schedule=5.0,
                              app=app)
        with caplog.at_level(logging.INFO, logger="celery.beat"):
            scheduler.apply_entry(entry)
    finally:
        use_broker(app, original)
    [failure] = [r for r in caplog.records if r.levelno >= logging.WARNING]
    text = logging.Formatter().format(failure)
    assert "\n" not in text, text
    assert "campaigns-dispatch" in text
    assert "broker" in text
