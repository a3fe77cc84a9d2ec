"""Contest jobs: what follows a submission, bulk notices, and the nightly purge. Each is
safe to run twice (a receipt sent twice is harmless; notices are claimed row by row)."""

from celery import shared_task

from contests.domain import blind, entries, results, retention


@shared_task(name="contests.send_receipt", autoretry_for=(Exception,), retry_backoff=30,
             max_retries=6)
def send_receipt(entry_pk: int) -> None:
    entries.send_receipt(entry_pk)


@shared_task(name="contests.prepare_blind_copies")
def prepare_blind_copies(call_pk: int) -> int:
    return blind.prepare_call(call_pk)


@shared_task(name="contests.send_decisions")
def send_decisions(call_pk: int, actor_pk: int | None = None) -> int:
    return results.send_pending_decisions(call_pk, actor_pk=actor_pk)


@shared_task(name="contests.purge_unneeded_files")
def purge_unneeded_files() -> int:
    return retention.purge_unneeded_files()
