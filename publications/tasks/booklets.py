"""Tasks: booklets (thin: the domain decides, see ``publications.domain.editions``)."""

from __future__ import annotations

from celery import shared_task

from ..domain import editions

__all__: list[str] = ["notify_pending_reforms"]


@shared_task(name=editions.PENDING_REFORMS_JOB)
def notify_pending_reforms() -> int:
    """Tell the committee about booklets a law change left behind (idempotent, claimed rows)."""
    return editions.notify_pending_reforms()
