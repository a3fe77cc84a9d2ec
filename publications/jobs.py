"""Asking for a publications job from the domain layer, by name, after commit.

The domain decides *that* a job must run; ``publications.tasks`` (thin Celery tasks) imports
the domain to run it, so the domain never imports the tasks module. The job is enqueued once
the transaction commits (nothing for a change that rolled back). A broker that is down is
logged, never raised: the page stays published, and its file row (pending) shows in the
admin's file listing, where the committee can retry it.
"""

from __future__ import annotations

import logging

from django.db import transaction

log = logging.getLogger(__name__)

MAKE_FILES = "publications.make_files"


def send(name: str, **kwargs) -> bool:
    from celery import current_app

    try:
        if name not in current_app.tasks:
            current_app.loader.import_default_modules()
        current_app.tasks[name].apply_async(kwargs=kwargs, retry_policy={"max_retries": 1})
    except Exception as exc:  # kombu/redis raise many kinds; none may reach the publisher
        log.warning("Could not enqueue %s %s: %s: %s", name, kwargs, type(exc).__name__, exc)
        return False
    return True


def enqueue(name: str, **kwargs) -> None:
    """Enqueue the job ``name`` with keyword ids once the current transaction commits."""
    transaction.on_commit(lambda: send(name, **kwargs), robust=True)
