"""The quarterly statistics as a section of the dashboards and the quarterly report."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hub.indicators import Figure, Scope, Section, Series
from hub.models.statistics import QuarterlyReport
from hub.statistics import figures as stats
from network.models import Institution, Region


def _quarters(scope: Scope) -> list[tuple[int, int]]:
    """The calendar quarters that overlap the scope's period."""
    found = []
    year, quarter = scope.period.start.year, (scope.period.start.month - 1) // 3 + 1
    while dt.date(year, 3 * (quarter - 1) + 1, 1) <= scope.period.end:
        found.append((year, quarter))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return found


def statistics_section(scope: Scope) -> Section | None:
    """Sums of the standard figures for the scope's institutions and quarters, and requests
    received per region (national scope) or per institution (a region or one institution)."""
    quarters = _quarters(scope)
    if not quarters:
        return None
    period = Q()
    for year, quarter in quarters:
        period |= Q(year=year, quarter=quarter)
    qs = QuarterlyReport.objects.filter(period).order_by()
    institutions = Institution.objects.current()
    if scope.institution_id is not None:
        qs = qs.filter(institution_id=scope.institution_id)
        institutions = institutions.filter(pk=scope.institution_id)
    elif scope.region_id is not None:
        qs = qs.filter(institution__region_id=scope.region_id)
        institutions = institutions.filter(region_id=scope.region_id)
    # Added up by the database: the standard figures are whole numbers that are never empty,
    # so a sum is what ``figures.combine`` gives (None without reports).
    standard = [f for f in stats.catalogue() if f.field]
    totals = qs.aggregate(reports=Count("pk"), **{f.key: Sum(f.field) for f in standard})
    reports = totals.pop("reports")
    expected = institutions.count() * len(quarters)
    figures = [Figure(_("Informes recibidos"), reports,
                      note=ngettext("de %(n)s esperado", "de %(n)s esperados", expected)
                      % {"n": expected})]
    figures += [Figure(f.label, totals[f.key], f.unit) for f in standard]
    rate = stats.on_time_rate(totals["solicitudes_recibidas"], totals["solicitudes_en_tiempo"])
    figures.append(Figure(_("Solicitudes respondidas en tiempo"), rate, "%"))
    if scope.is_national:
        received = dict(qs.values_list("institution__region_id").annotate(
            n=Sum("requests_received")))
        rows = [(region.name, received.get(region.pk)) for region in Region.objects.all()]
        if None in received:
            rows.append((_("Sin región"), received[None]))
    else:
        rows = list(qs.values_list("institution__acronym").annotate(n=Sum("requests_received"))
                    .order_by("institution__acronym"))
    if reports:
        summary = _("%(reports)s de %(expected)s informes trimestrales recibidos: "
                    "%(received)s solicitudes de información, %(rate)s%% respondidas en tiempo, "
                    "%(trained)s personas capacitadas.") % {
            "reports": reports, "expected": expected,
            "received": totals["solicitudes_recibidas"], "rate": rate if rate is not None else "—",
            "trained": totals["personas_capacitadas"]}
    else:
        summary = _("Aún no se reciben informes estadísticos de este periodo.")
    return Section(key="estadisticas", title=_("Estadísticas trimestrales"), figures=figures,
                   series=[Series(_("Solicitudes de información recibidas"), rows)],
                   summary=summary, order=20)
