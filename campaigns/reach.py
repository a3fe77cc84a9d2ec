"""Reach of a post, a campaign or an institution: labelled breakdowns for charts and exports.

Reach counts the publications that went out (deliveries of purpose *publication* ended
*sent*), with each delivery's latest figures (impressions, likes, reposts, replies). Over time,
each day shows the reach known at the end of that day (``metrics.daily_series``, from the
snapshots). Who may see which reach is decided by ``campaigns.rules`` (the caller passes
deliveries already scoped to the actor).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Sum
from django.utils.translation import gettext as _

from hub.charts import bar_chart

from .enums import DeliveryPurpose, DeliveryState
from .indicators import REACH
from .metrics import daily_series

METRICS = [name for name, _label in REACH]
CHART_ROWS = 20  # bars in a chart; its table and the export carry every row


@dataclass
class Breakdown:
    """One labelled table of reach (rows: label and the four figures) and its chart."""

    title: str
    rows: list[tuple[str, dict]] = field(default_factory=list)

    @property
    def chart(self) -> dict:
        return bar_chart([(label, values["impressions"]) for label, values in self.rows[:CHART_ROWS]])

    @property
    def table(self) -> list[tuple[str, list[int]]]:
        return [(label, [values[m] for m in METRICS]) for label, values in self.rows]


def labels() -> list[str]:
    return [str(label) for _name, label in REACH]


def sent(deliveries):
    return deliveries.filter(state=DeliveryState.SENT, purpose=DeliveryPurpose.PUBLICATION)


def _grouped(deliveries, key: str, name: str) -> list[tuple[str, dict]]:
    """Sums per ``key`` (an id), labelled by ``name``, most impressions first."""
    sums = {m: Sum(m) for m in METRICS}
    rows = deliveries.order_by().values(key, name).annotate(**sums).order_by("-impressions", key)
    return [(row[name] or _("Sin campaña"), {m: row[m] or 0 for m in METRICS}) for row in rows]


def by_channel(deliveries) -> Breakdown:
    return Breakdown(_("Impresiones por canal"),
                     _grouped(deliveries, "channel_id", "channel__name"))


def by_post(deliveries) -> Breakdown:
    return Breakdown(_("Impresiones por publicación"),
                     _grouped(deliveries, "post_id", "post__title"))


def by_campaign(deliveries) -> Breakdown:
    return Breakdown(_("Impresiones por campaña"),
                     _grouped(deliveries, "post__campaign_id", "post__campaign__name"))


def over_time(deliveries, days: int) -> Breakdown:
    series = daily_series(deliveries, days=days)
    return Breakdown(
        _("Impresiones acumuladas por día (últimos %(n)s días)") % {"n": days},
        [(day["day"].strftime("%d/%m/%Y"), {m: day[m] for m in METRICS}) for day in series])


def totals(deliveries) -> dict[str, int]:
    found = deliveries.aggregate(**{m: Sum(m) for m in METRICS})
    return {m: found[m] or 0 for m in METRICS}


def export_rows(breakdowns: list[Breakdown]) -> tuple[list[str], list[list]]:
    """One table for every breakdown: what it breaks down, the concept, the four figures."""
    header = [_("Desglose"), _("Concepto"), *labels()]
    rows = [[b.title, label, *values] for b in breakdowns for label, values in b.table]
    return header, rows
