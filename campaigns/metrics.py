"""Reach of X posts, pulled back on a schedule and kept as snapshots for charts."""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .connectors import ConnectorError, get_connector
from .enums import DeliveryState
from .models import Delivery, MetricSnapshot

log = logging.getLogger(__name__)


def pull(now=None) -> int:
    now = now or timezone.now()
    since = now - timedelta(days=settings.ENLACE_METRICS_DAYS)
    rows = (Delivery.objects.filter(state=DeliveryState.SENT, finished_at__gte=since)
            .exclude(external_id="").select_related("channel"))
    by_channel = defaultdict(list)
    for delivery in rows:
        connector = get_connector(delivery.channel.kind)
        if connector and connector.supports_metrics:
            by_channel[delivery.channel].append(delivery)
    updated = 0
    for channel, deliveries in by_channel.items():
        try:
            found = get_connector(channel.kind).metrics(channel, [d.external_id for d in deliveries])
        except ConnectorError as exc:
            log.warning("Metrics for channel %s not available: %s", channel.pk, exc.detail)
            continue
        with transaction.atomic():
            for delivery in deliveries:
                metrics = found.get(delivery.external_id)
                if metrics is None:
                    continue
                Delivery.objects.filter(pk=delivery.pk).update(
                    likes=metrics.likes, reposts=metrics.reposts, replies=metrics.replies,
                    impressions=metrics.impressions, metrics_at=now)
                # One snapshot per post and day (the day's latest figures): the charts need
                # days, and hourly rows would grow 24 times faster than what they show.
                values = {"taken_at": now, "likes": metrics.likes, "reposts": metrics.reposts,
                          "replies": metrics.replies, "impressions": metrics.impressions}
                day_start = timezone.localtime(now).replace(hour=0, minute=0, second=0,
                                                            microsecond=0)
                if not MetricSnapshot.objects.filter(delivery=delivery,
                                                     taken_at__gte=day_start).update(**values):
                    MetricSnapshot.objects.create(delivery=delivery, **values)
                updated += 1
    return updated


def daily_series(deliveries, days: int = 30, today=None):
    """Per day, the reach of the given deliveries as known at the end of that day."""
    today = today or timezone.localdate()
    start = today - timedelta(days=days - 1)
    snapshots = (MetricSnapshot.objects.filter(delivery__in=deliveries.values("pk"))
                 .order_by("taken_at").values_list("delivery_id", "taken_at", "likes", "reposts",
                                                   "replies", "impressions"))
    latest: dict[int, tuple] = {}
    series = []
    iterator = iter(snapshots)
    pending = next(iterator, None)
    for offset in range(days):
        day = start + timedelta(days=offset)
        while pending is not None and timezone.localtime(pending[1]).date() <= day:
            latest[pending[0]] = pending[2:]
            pending = next(iterator, None)
        totals = [sum(values[i] for values in latest.values()) for i in range(4)]
        series.append({"day": day, "likes": totals[0], "reposts": totals[1],
                       "replies": totals[2], "impressions": totals[3]})
    return series
