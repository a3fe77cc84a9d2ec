"""Figures of the quarterly statistics: what each figure is, and totals per region.

Whole-number figures add up; decimal figures (rates, averages) are averaged over the
institutions that reported them, and their label says so."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max
from django.utils.translation import gettext as _

from hub.models.statistics import STANDARD_FIGURES, QuarterlyReport, StatisticField
from hub.statistics.enums import FigureKind
from network.models import Region


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    unit: str
    kind: str
    field: str = ""  # the model field of a standard figure; empty for data-defined ones

    @property
    def averaged(self) -> bool:
        return self.kind == FigureKind.DECIMAL

    def value(self, report: QuarterlyReport):
        if self.field:
            return getattr(report, self.field)
        raw = (report.extra or {}).get(self.key)
        if raw is None or raw == "":
            return None
        try:
            # Stored as typed; a field whose kind changed later still reads (12.50 → 12).
            number = Decimal(str(raw))
        except (ArithmeticError, ValueError):
            return None
        if not number.is_finite():
            return None
        return int(number) if self.kind == FigureKind.INTEGER else number


def catalogue(*, include_inactive: bool = True) -> list[Figure]:
    """The standard figures, then the data-defined ones (inactive too: their data is public)."""
    figures = [Figure(column, str(label), str(unit), FigureKind.INTEGER, field)
               for field, column, label, unit in STANDARD_FIGURES]
    definitions = StatisticField.objects.all()
    if not include_inactive:
        definitions = definitions.active()
    figures += [Figure(d.key, d.label, d.unit, d.kind) for d in definitions]
    return figures


def quarters_with_data() -> list[tuple[int, int]]:
    return list(QuarterlyReport.objects.order_by("-year", "-quarter")
                .values_list("year", "quarter").distinct())


def latest_quarter() -> tuple[int, int] | None:
    found = QuarterlyReport.objects.aggregate(year=Max("year"))
    if found["year"] is None:
        return None
    quarter = QuarterlyReport.objects.filter(year=found["year"]).aggregate(q=Max("quarter"))["q"]
    return found["year"], quarter


def combine(figure: Figure, values: list):
    present = [v for v in values if v is not None]
    if not present:
        return None
    total = sum(present)
    if figure.averaged:
        return (Decimal(total) / len(present)).quantize(Decimal("0.01"))
    return total


def on_time_rate(received, on_time) -> Decimal | None:
    if not received or on_time is None:
        return None
    return (Decimal(100) * on_time / received).quantize(Decimal("0.1"))


def by_region(reports: list[QuarterlyReport], figures: list[Figure]) -> list[dict]:
    """One row per region (every region, reported or not): institutions that reported and
    each figure combined."""
    grouped = defaultdict(list)
    for report in reports:
        grouped[report.institution.region_id].append(report)
    rows = []
    for region in Region.objects.all():
        found = grouped.get(region.pk, [])
        values = {f.key: combine(f, [f.value(r) for r in found]) for f in figures}
        rows.append({"region": region.name, "reported": len(found), "values": values,
                     "rate": on_time_rate(values.get("solicitudes_recibidas"),
                                          values.get("solicitudes_en_tiempo"))})
    unassigned = grouped.get(None)
    if unassigned:
        values = {f.key: combine(f, [f.value(r) for r in unassigned]) for f in figures}
        rows.append({"region": _("Sin región"), "reported": len(unassigned), "values": values,
                     "rate": on_time_rate(values.get("solicitudes_recibidas"),
                                          values.get("solicitudes_en_tiempo"))})
    return rows


def reports_of_quarter(year: int, quarter: int, **filters) -> list[QuarterlyReport]:
    return list(QuarterlyReport.objects.for_quarter(year, quarter).filter(**filters)
                .select_related("institution__region").order_by("institution__acronym"))
