"""Reusable querysets: time windows and public visibility as query methods."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from .fields import local_day


class InstitutionQuerySet(models.QuerySet):
    def current(self, on: dt.date | None = None):
        """Institutions in force on ``on`` (today in Mexico City by default)."""
        on = on or timezone.localdate()
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on)).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=on)
        )


    def in_directory_order(self) -> list:
        """As people look for them: national bodies first, then by the state's name."""
        return sorted(self, key=lambda i: (i.state != "", i.get_state_display(), i.name))


class PersonQuerySet(models.QuerySet):
    def public(self):
        """Profiles shown on public pages (each contact field still has its own flag)."""
        return self.filter(is_public=True, active=True)


class EventQuerySet(models.QuerySet):
    """Events; ``update()`` and ``bulk_update()`` keep ``starts_on`` in step with ``starts_at``."""

    def update(self, **kwargs):
        if "starts_at" in kwargs and "starts_on" not in kwargs:
            value = kwargs["starts_at"]
            if hasattr(value, "resolve_expression"):
                # Same SQL expression: both columns are set from the row's old values.
                kwargs["starts_on"] = TruncDate(value, tzinfo=timezone.get_default_timezone())
            else:
                kwargs["starts_on"] = local_day(value)
        return super().update(**kwargs)

    update.alters_data = True

    def bulk_update(self, objs, fields, batch_size=None):
        fields = list(fields)
        if "starts_at" in fields and "starts_on" not in fields:
            objs = list(objs)
            for obj in objs:
                obj.starts_on = local_day(obj.starts_at)
            fields.append("starts_on")
        return super().bulk_update(objs, fields, batch_size=batch_size)

    bulk_update.alters_data = True

    def public(self):
        return self.filter(live=True)

    def for_cards(self):
        """Only the columns an event card shows (``network.display.event_cards``)."""
        from network.display import EVENT_CARD_FIELDS

        return self.only(*EVENT_CARD_FIELDS)

    def upcoming(self, now: dt.datetime | None = None):
        now = now or timezone.now()
        return self.filter(
            Q(ends_at__gte=now) | Q(ends_at__isnull=True, starts_at__gte=now)
        ).order_by("starts_at")

    def past(self, now: dt.datetime | None = None):
        now = now or timezone.now()
        return self.filter(
            Q(ends_at__lt=now) | Q(ends_at__isnull=True, starts_at__lt=now)
        ).order_by("-starts_at")

    def between(self, start: dt.datetime, end: dt.datetime):
        """Events that overlap the half-open window [start, end)."""
        return self.filter(starts_at__lt=end).filter(
            Q(ends_at__gte=start) | Q(ends_at__isnull=True, starts_at__gte=start)
        )


class AgreementQuerySet(models.QuerySet):
    def expired(self, on: dt.date | None = None):
        from .enums import AgreementStatus

        on = on or timezone.localdate()
        return self.filter(status__in=AgreementStatus.active(), valid_until__lt=on)

    def expiring_within(self, days: int, on: dt.date | None = None):
        from .enums import AgreementStatus

        on = on or timezone.localdate()
        return self.filter(
            status__in=AgreementStatus.active(),
            valid_until__gte=on,
            valid_until__lte=on + dt.timedelta(days=days),
        )

    def public(self):
        return self.filter(is_public=True)


class VideoCapsuleQuerySet(models.QuerySet):
    def public(self):
        return self.filter(live=True)
