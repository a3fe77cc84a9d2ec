"""Contest jobs: what follows a submission, bulk notices, and the nightly purge.

Thin tasks: each takes keyword ids, loads its row, returns quietly when the row is gone (an
entry deleted or a call removed before the job ran), and calls one domain function. Each is
safe to run twice (a receipt sent twice is harmless; notices are claimed row by row)."""

from __future__ import annotations

import logging

from celery import shared_task

from contests.domain import blind, entries, results, retention
from contests.models import ContestCallPage, Entry

logger = logging.getLogger(__name__)


@shared_task(name="contests.send_receipt", autoretry_for=(OSError,), retry_backoff=30,
             max_retries=6)
def send_receipt(*, entry_id: int) -> bool:
    """E-mail the receipt; retried when the mail server cannot be reached."""
    entry = Entry.objects.filter(pk=entry_id).first()
    if entry is None:
        logger.info("Receipt not sent: entry %s no longer exists", entry_id)
        return False
    return entries.send_receipt(entry)


@shared_task(name="contests.prepare_blind_copies")
def prepare_blind_copies(*, call_id: int) -> int:
    if not ContestCallPage.objects.filter(pk=call_id).exists():
        return 0
    return blind.prepare_call(call_id)


@shared_task(name="contests.send_decisions")
def send_decisions(*, call_id: int, actor_id: int | None = None) -> int:
    if not ContestCallPage.objects.filter(pk=call_id).exists():
        return 0
    return results.send_pending_decisions(call_id, actor_pk=actor_id)


@shared_task(name="contests.purge_unneeded_files")
def purge_unneeded_files() -> int:
    return retention.purge_unneeded_files()
