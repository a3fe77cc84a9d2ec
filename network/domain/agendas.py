"""Joint agendas: following up lines of action, and the figures the dashboards show.

Side effects are named in each docstring; every function takes the actor, never a request.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from .. import rules
from ..enums import ActionLineStatus
from ..models import ActionLine, FollowUp


def status_after(current: str, follow_ups) -> str:
    """The status a line takes from its follow-ups: that of the latest one (by date, then by
    order) that records a change; ``current`` when none does."""
    changes = [f for f in follow_ups if f.new_status]
    if not changes:
        return current
    latest = max(changes, key=lambda f: (f.date, f.sort_order or 0, f.pk or 0))
    return latest.new_status


def record_follow_up(actor, line: ActionLine, *, note: str, new_status: str = "",
                     evidence_url: str = "", on: dt.date | None = None) -> FollowUp:
    """Add a follow-up to ``line`` and apply its status change.

    Side effects: one ``FollowUp`` row; the line's ``status`` updated in the same transaction.
    Raises ``PermissionDenied`` outside the actor's region and ``ValidationError`` for bad input
    (nothing is saved then)."""
    if not rules.can_act_on(actor, line):
        raise PermissionDenied
    with transaction.atomic():
        locked = ActionLine.objects.select_for_update().get(pk=line.pk)
        last = locked.follow_ups.order_by("-sort_order").values_list("sort_order", flat=True)
        follow_up = FollowUp(line=locked, note=(note or "").strip(), new_status=new_status,
                             evidence_url=evidence_url, date=on or timezone.localdate(),
                             sort_order=(last.first() or 0) + 1)
        follow_up.full_clean(exclude=["line"])
        follow_up.save()
        status = status_after(locked.status, locked.follow_ups.all())
        if status != locked.status:
            ActionLine.objects.filter(pk=locked.pk).update(status=status,
                                                           updated_at=timezone.now())
            line.status = status
    return follow_up


def lines_by_status(lines) -> list[tuple[str, int]]:
    """``(label, count)`` for every status, in the enum's order (zeros included)."""
    counts = dict(lines.order_by().values_list("status").annotate(n=Count("pk")))
    return [(str(label), counts.get(value, 0)) for value, label in ActionLineStatus.choices]
