"""The quarterly statistics as open data: /datos/estadisticas.json|csv.

The schema lists the standard template and then every field the commission defined as data,
read when the schema or the rows are built: a new field appears in the schema, the JSON and
the CSV at once (and changes the ETag)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hub.models.statistics import QuarterlyReport, StatisticField
from hub.opendata import Dataset, Field, changes, register
from hub.opendata import FieldType as T
from hub.statistics import figures as stats
from hub.statistics.enums import FigureKind
from network.models import Institution, Region

CHUNK = 2000

_HEAD = (
    Field("trimestre", T.STRING, _("Trimestre reportado, AAAA-T# (p. ej. 2026-T1).")),
    Field("anio", T.INTEGER, _("Año del trimestre.")),
    Field("numero_trimestre", T.INTEGER, _("Número del trimestre (1 a 4).")),
    Field("siglas", T.STRING, _("Siglas del órgano garante.")),
    Field("institucion", T.STRING, _("Nombre del órgano garante.")),
    Field("region", T.STRING, _("Región del SNT a la que pertenece.")),
    Field("entidad", T.STRING, _("Entidad federativa.")),
)
_TAIL = (
    Field("tasa_respuesta_en_tiempo", T.NUMBER,
          _("Porcentaje de solicitudes respondidas en tiempo (calculado).")),
    Field("observaciones", T.STRING, _("Observaciones del órgano garante.")),
    Field("actualizado", T.DATETIME, _("Última modificación del informe (ISO 8601).")),
)


class _Fields:
    """The dataset's fields, read from the database each time they are listed."""

    def __iter__(self):
        yield from _HEAD
        for figure in stats.catalogue():
            kind = T.INTEGER if figure.kind == FigureKind.INTEGER else T.NUMBER
            unit = f" ({figure.unit})" if figure.unit else ""
            origin = "" if figure.field else str(_(" Campo definido por la Comisión."))
            yield Field(figure.key, kind, f"{figure.label}{unit}.{origin}")
        yield from _TAIL

    def __len__(self):
        return len(list(iter(self)))


def statistics_version():
    return (changes(QuarterlyReport.objects.all()), changes(StatisticField.objects.all()),
            changes(Institution.objects.all()), Region.objects.count())


def statistics_rows():
    figures = stats.catalogue()
    qs = QuarterlyReport.objects.select_related("institution__region").order_by(
        "-year", "-quarter", "institution__acronym", "pk")
    for report in qs.iterator(chunk_size=CHUNK):
        institution = report.institution
        row = {
            "trimestre": report.code, "anio": report.year, "numero_trimestre": report.quarter,
            "siglas": institution.acronym, "institucion": institution.name,
            "region": institution.region.name if institution.region_id else None,
            "entidad": institution.get_state_display() or None,
        }
        for figure in figures:
            value = figure.value(report)
            row[figure.key] = float(value) if figure.averaged and value is not None else value
        rate = stats.on_time_rate(report.requests_received, report.requests_on_time)
        row["tasa_respuesta_en_tiempo"] = float(rate) if rate is not None else None
        row["observaciones"] = report.notes or None
        row["actualizado"] = timezone.localtime(report.updated_at).isoformat()
        yield row


STATISTICS = register(Dataset(
    name="estadisticas",
    title=_("Estadísticas trimestrales de los órganos garantes"),
    description=_("Las cifras que cada órgano garante reporta cada trimestre con la plantilla "
                  "estándar de la Comisión: solicitudes recibidas y respondidas en tiempo, "
                  "recursos de revisión, personas capacitadas, eventos y alcance de campañas, "
                  "más los campos que la Comisión agregue. Una fila por institución y trimestre."),
    fields=_Fields(),
    rows=statistics_rows,
    tags=("estadisticas", "solicitudes", "capacitacion"),
    version=statistics_version,
    models=("hub.QuarterlyReport", "hub.StatisticField", "network.Institution", "network.Region"),
))
