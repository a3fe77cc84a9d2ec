"""Handing jobs to the broker without ever failing the caller.

The database is the source of truth for what must be sent: a delivery that is due and has no
message in the queue is found again by the dispatcher. So a broker that is down when a job is
enqueued (typically right after a post was committed) is logged, never raised: a saved post
must not turn into an error for the person or client who saved it.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.core.cache import cache
from django.db import transaction

log = logging.getLogger(__name__)

# Give up quickly: the dispatcher (or the sweeper) enqueues again what was not sent.
RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}


def _task(name: str):
    """The registered task; outside a worker, Celery's autodiscovery runs on first use."""
    from celery import current_app

    if name not in current_app.tasks:
        current_app.loader.import_default_modules()  # what a worker does at start
    return current_app.tasks[name]


def send(name: str, *, eta=None, **kwargs) -> bool:
    """Enqueue the job named ``name`` (``campaigns.tasks``) with keyword arguments.

    Returns False, with a log line, if the broker refused. Jobs are found by their explicit
    names, so the domain modules never import the tasks module that imports them.
    """
    try:
        _task(name).apply_async(kwargs=kwargs, eta=eta, retry_policy=RETRY_POLICY)
    except Exception as exc:  # kombu/redis raise many kinds; none may reach the caller
        log.warning("Could not enqueue %s %s (the dispatcher will retry): %s: %s", name, kwargs,
                    type(exc).__name__, exc)
        return False
    return True


def on_commit(function, *args, **kwargs) -> None:
    """Run ``function`` after the current transaction commits; its failure never propagates."""
    transaction.on_commit(lambda: function(*args, **kwargs), robust=True)


def send_on_commit(name: str, **kwargs) -> None:
    on_commit(send, name, **kwargs)


def due_again(name: str, ids, now, grace: float = 60, limit: int = 100) -> list:
    """Which of ``ids`` (of rows whose job ``name`` has not run yet) get another copy now.

    A job not run yet may be lost, or only waiting behind a backlog: the sweeper cannot tell.
    Each further copy waits as long as the row had already been waiting when the previous one
    was sent (1, 2, 4, 8 min…), so a backlog gets a few copies, not one per row at every
    sweep. When each row was first and last asked for is kept in the cache (a cache that
    forgets only means one more copy, which the idempotent job turns into nothing).
    """
    keys = {pk: f"enlace:asked-again:{name}:{pk}" for pk in ids}
    asked = cache.get_many(list(keys.values()))
    chosen, marks = [], {}
    for pk, key in keys.items():
        since, last = asked.get(key, (now - timedelta(seconds=grace), None))
        if last is None or now - last >= max(timedelta(seconds=grace), last - since):
            chosen.append(pk)
            marks[key] = (since, now)
            if len(chosen) >= limit:
                break
    cache.set_many(marks, timeout=2 * 86400)
    return chosen
