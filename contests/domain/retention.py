"""Keeping entrants' files no longer than needed: withdrawn entries and drafts never sent."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from contests.enums import EntryStatus
from contests.models import EntryFile

from .entries import discard


def purge_unneeded_files(now: dt.datetime | None = None) -> int:
    """Delete the files of entries withdrawn more than ENLACE_CONTEST_RETENTION_DAYS ago and of
    drafts whose call closed that long ago. Entries in competition, disqualified ones (the
    decision may be contested) and the archive are kept. Returns how many files went."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.ENLACE_CONTEST_RETENTION_DAYS)
    doomed = EntryFile.objects.filter(
        Q(entry__status=EntryStatus.WITHDRAWN, entry__withdrawn_at__lt=cutoff)
        | Q(entry__status=EntryStatus.DRAFT, entry__call__closes_at__lt=cutoff))
    count = 0
    for entry_file in doomed:
        with transaction.atomic():
            discard(entry_file)
        count += 1
    return count
