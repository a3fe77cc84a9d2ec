"""The quarterly statistics as a section of the dashboards and the quarterly report."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hub.indicators import Figure, Scope, Section, Series
from hub.models.statistics import QuarterlyReport
from hub.statistics import figures as stats
from network.models import Institution


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
    qs = QuarterlyReport.objects.select_related("institution__region")
    period = Q()
    for year, quarter in quarters:
        period |= Q(year=year, quarter=quarter)
    qs = qs.filter(period)
    institutions = Institution.objects.current()
    if scope.institution_id is not None:
        qs = qs.filter(institution_id=scope.institution_id)
        institutions = institutions.filter(pk=scope.institution_id)
    elif scope.region_id is not None:
        qs = qs.filter(institution__region_id=scope.region_id)
        institutions = institutions.filter(region_id=scope.region_id)
    reports = list(qs)
    catalogue = stats.catalogue()
    standard = [f for f in catalogue if f.field]
    totals = {f.key: stats.combine(f, [f.value(r) for r in reports]) for f in standard}
    expected = institutions.count() * len(quarters)
    figures = [Figure(_("Informes recibidos"), len(reports),
                      note=ngettext("de %(n)s esperado", "de %(n)s esperados", expected)
                      % {"n": expected})]
    figures += [Figure(f.label, totals[f.key], f.unit) for f in standard]
    rate = stats.on_time_rate(totals["solicitudes_recibidas"], totals["solicitudes_en_tiempo"])
    figures.append(Figure(_("Solicitudes respondidas en tiempo"), rate, "%"))
    received = next(f for f in standard if f.key == "solicitudes_recibidas")
    if scope.is_national:
        rows = [(row["region"], row["values"]["solicitudes_recibidas"])
                for row in stats.by_region(reports, [received])]
    else:
        per = {}
        for report in reports:
            per[report.institution.acronym] = per.get(report.institution.acronym, 0) + \
                report.requests_received
        rows = sorted(per.items())
    if reports:
        summary = _("%(reports)s de %(expected)s informes trimestrales recibidos: "
                    "%(received)s solicitudes de información, %(rate)s%% respondidas en tiempo, "
                    "%(trained)s personas capacitadas.") % {
            "reports": len(reports), "expected": expected,
            "received": totals["solicitudes_recibidas"], "rate": rate if rate is not None else "—",
            "trained": totals["personas_capacitadas"]}
    else:
        summary = _("Aún no se reciben informes estadísticos de este periodo.")
    return Section(key="estadisticas", title=_("Estadísticas trimestrales"), figures=figures,
                   series=[Series(_("Solicitudes de información recibidas"), rows)],
                   summary=summary, order=20)
