"""Campaigns' figures for dashboards and the quarterly report: posts sent and their reach.

A provider on ``hub.indicators.INDICATORS_HOOK`` (registered in ``campaigns.wagtail_hooks``).
A post counts once per network it went out on (a delivery of purpose *publication* that ended
*sent* within the period); an institution's figures are those of its own posts. Reach is the
latest metrics snapshot of each of those deliveries taken before the period ended, so a
quarter's reach does not grow after it closes.
"""

from __future__ import annotations

from django.db.models import Count, OuterRef, Subquery, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hub.indicators import Figure, Scope, Section, Series

from .enums import ChannelKind, DeliveryPurpose, DeliveryState
from .models import Delivery, MetricSnapshot

REACH = (("impressions", gettext_lazy("Impresiones")), ("likes", gettext_lazy("Me gusta")),
         ("reposts", gettext_lazy("Republicaciones")), ("replies", gettext_lazy("Respuestas")))


def _sent_in(scope: Scope):
    start, end = scope.period.bounds()
    deliveries = Delivery.objects.filter(
        state=DeliveryState.SENT, purpose=DeliveryPurpose.PUBLICATION,
        finished_at__gte=start, finished_at__lt=end)
    if scope.institution_id is not None:
        deliveries = deliveries.filter(post__institution_id=scope.institution_id)
    elif scope.region_id is not None:
        deliveries = deliveries.filter(post__institution__region_id=scope.region_id)
    return deliveries


def reach_totals(deliveries, until) -> dict[str, int]:
    """Sum of each delivery's latest snapshot taken before ``until``."""
    latest = (MetricSnapshot.objects.filter(delivery=OuterRef("pk"), taken_at__lt=until)
              .order_by("-taken_at"))
    annotated = deliveries.annotate(**{
        f"last_{name}": Subquery(latest.values(name)[:1]) for name, _label in REACH})
    totals = annotated.aggregate(**{name: Sum(f"last_{name}") for name, _label in REACH})
    return {name: totals[name] or 0 for name, _label in REACH}


def posts_section(scope: Scope) -> Section:
    deliveries = _sent_in(scope)
    _start, end = scope.period.bounds()
    by_kind = dict(deliveries.order_by().values_list("channel__kind")
                   .annotate(n=Count("pk")))
    posts = deliveries.order_by().values("post").distinct().count()
    sent = sum(by_kind.values())
    reach = reach_totals(deliveries, end)
    labels = dict(ChannelKind.choices)
    per_network = [(str(labels.get(kind, kind)), count)
                   for kind, count in sorted(by_kind.items(), key=lambda kv: -kv[1])]
    summary = _("Se difundieron %(posts)s publicaciones en redes sociales (%(sent)s envíos en "
                "total) y se registraron %(impressions)s impresiones de lo publicado.") % {
        "posts": posts, "sent": sent, "impressions": reach["impressions"]}
    return Section(
        key="campaigns-posts", title=_("Publicaciones en redes sociales"), order=10,
        figures=[Figure(_("Publicaciones difundidas"), posts),
                 Figure(_("Envíos a redes"), sent),
                 *[Figure(str(label), reach[name]) for name, label in REACH]],
        series=[Series(_("Envíos por red social"), per_network),
                Series(_("Alcance de lo publicado"),
                       [(str(label), reach[name]) for name, label in REACH])],
        summary=summary,
    )
