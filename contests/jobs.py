"""Asking for a contest job from the domain layer.

The domain decides *that* a job must run; ``contests.tasks`` (thin Celery tasks) imports the
domain to run it. So the domain never imports the tasks module: it names the job and the job
is enqueued once the transaction commits (nothing is enqueued for a change that rolled back).
The tasks are registered when the app is ready (``ContestsConfig.ready``)."""

from __future__ import annotations

from celery import current_app
from django.db import transaction

RECEIPT = "contests.send_receipt"
BLIND_COPIES = "contests.prepare_blind_copies"
DECISIONS = "contests.send_decisions"


def enqueue(name: str, **kwargs) -> None:
    """Enqueue the job ``name`` with keyword ids after the current transaction commits."""
    transaction.on_commit(lambda: current_app.tasks[name].delay(**kwargs))
