"""The public archive (acervo): awarded works of calls whose results are public."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from contests.enums import EntryStatus
from contests.models import Entry


def archived_entries():
    now = timezone.now()
    return (Entry.objects.filter(status=EntryStatus.SUBMITTED, award__isnull=False,
                                 call__results_publication__isnull=False, call__results_at__lte=now,
                                 call__live=True)
            .select_related("call", "category", "award", "owner__entrant_profile")
            .prefetch_related("files", "coauthors"))


def search(queryset, *, q: str = "", kind: str = "", year: str = ""):
    if q:
        queryset = queryset.filter(Q(title__icontains=q) | Q(summary__icontains=q)
                                   | Q(call__title__icontains=q))
    if kind:
        queryset = queryset.filter(category__kind=kind)
    if year.isascii() and year.isdigit():
        queryset = queryset.filter(call__year=int(year))
    return queryset.order_by("-call__year", "call_id", "category__sort_order", "award__place")
