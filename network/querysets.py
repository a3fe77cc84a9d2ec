"""Reusable querysets: time windows and public visibility as query methods."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils import timezone


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
    def public(self):
        return self.filter(live=True)

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
