"""Tasks: files. Thin: load the page, call ``domain.files.make_files``.

Retried with exponential backoff (bounded: ``MAX_ATTEMPTS`` in all) when a file could not be
made for a reason that may pass; a permanent reason (Pango missing) is not retried. Each run
is idempotent: a version already READY is never made twice (see ``domain.files``).
"""

from __future__ import annotations

import logging

from celery import shared_task

from ..domain import files

logger = logging.getLogger(__name__)

__all__ = ["make_files", "repair_files"]


class RetryableFileError(Exception):
    """Raised so Celery's autoretry asks again later."""


@shared_task(name="publications.make_files", autoretry_for=(RetryableFileError,),
             max_retries=files.MAX_ATTEMPTS - 1, retry_backoff=60, retry_backoff_max=900,
             retry_jitter=True)
def make_files(*, page_id: int) -> int:
    page = files.live_page(page_id)
    if page is None:
        logger.info("No files made: page %s is gone or not live", page_id)
        return 0
    try:
        return len(files.make_files(page))
    except files.FileJobError as exc:
        if exc.permanent:
            return 0
        raise RetryableFileError(exc.message) from exc


@shared_task(name="publications.repair_files", ignore_result=True)
def repair_files() -> int:
    return len(files.repair_lost_jobs())
