"""Quarterly statistics: one report per institution and quarter, with the standard figures
as columns and the figures the commission defines as data (``StatisticField``) in ``extra``."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from hub.statistics.enums import FigureKind, ReportSource
from network.models import ImportRecord

FIRST_YEAR = 2015  # the year the Sistema Nacional de Transparencia was set up

# The standard template: (model field, open-data/CSV column, label, unit).
STANDARD_FIGURES = (
    ("requests_received", "solicitudes_recibidas", _("Solicitudes de información recibidas"),
     _("solicitudes")),
    ("requests_on_time", "solicitudes_en_tiempo", _("Solicitudes respondidas en tiempo"),
     _("solicitudes")),
    ("appeals", "recursos_revision", _("Recursos de revisión"), _("recursos")),
    ("people_trained", "personas_capacitadas", _("Personas capacitadas"), _("personas")),
    ("events", "eventos", _("Eventos realizados"), _("eventos")),
    ("campaign_reach", "alcance_campanas", _("Alcance de campañas"), _("personas")),
)
# Column names of a report in files and open data that a data-defined field may not take.
RESERVED_KEYS = frozenset(
    [column for _f, column, _l, _u in STANDARD_FIGURES]
    + ["siglas", "institucion", "region", "entidad", "trimestre", "anio", "numero_trimestre",
       "observaciones", "actualizado", "id", "tasa_respuesta_en_tiempo"]
)


def quarter_code(year: int, quarter: int) -> str:
    return f"{year}-T{quarter}"


class StatisticFieldQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class StatisticField(models.Model):
    """A figure the commission adds to the standard template, defined as data."""

    key = models.CharField(
        _("clave"), max_length=40, unique=True,
        validators=[RegexValidator(r"^[a-z][a-z0-9_]*$", _(
            "Use minúsculas sin acentos, números y guiones bajos; empiece con una letra."))],
        help_text=_("Nombre de la columna en la plantilla y en los datos abiertos, p. ej. "
                    "«denuncias_recibidas». No la cambie después de recibir cifras."),
    )
    label = models.CharField(_("nombre"), max_length=120)
    description = models.CharField(_("descripción"), max_length=300, blank=True)
    unit = models.CharField(_("unidad"), max_length=30, blank=True,
                            help_text=_("Por ejemplo: personas, eventos, %."))
    kind = models.CharField(_("tipo de número"), max_length=10, choices=FigureKind.choices,
                            default=FigureKind.INTEGER)
    required = models.BooleanField(_("obligatorio"), default=False)
    minimum = models.DecimalField(_("mínimo"), max_digits=14, decimal_places=2, null=True,
                                  blank=True, default=0,
                                  help_text=_("Deje vacío para no tener mínimo."))
    order = models.PositiveSmallIntegerField(_("orden"), default=0)
    active = models.BooleanField(_("vigente"), default=True,
                                 help_text=_("Un campo no vigente ya no se pide en la plantilla "
                                             "pero sus cifras siguen publicadas."))
    updated_at = models.DateTimeField(auto_now=True)

    objects = StatisticFieldQuerySet.as_manager()

    panels = [
        FieldRowPanel([FieldPanel("key"), FieldPanel("label")]),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("unit"), FieldPanel("kind")]),
        FieldRowPanel([FieldPanel("required"), FieldPanel("minimum")]),
        FieldRowPanel([FieldPanel("order"), FieldPanel("active")]),
    ]

    class Meta:
        ordering = ["order", "key"]
        verbose_name = _("campo estadístico adicional")
        verbose_name_plural = _("campos estadísticos adicionales")

    def __str__(self) -> str:
        return f"{self.label} ({self.key})"

    def clean(self):
        super().clean()
        if self.key in RESERVED_KEYS:
            raise ValidationError({"key": _("«%(key)s» es una columna de la plantilla estándar; "
                                            "elija otra clave.") % {"key": self.key}})


class QuarterlyReportQuerySet(models.QuerySet):
    def in_scope_of(self, user):
        """Coordinación: every report; an officer: their institution's; anyone else: none."""
        from network import rules

        if rules.is_coordinator(user):
            return self
        own = rules.officer_institution_id(user) if rules.is_officer(user) else None
        return self.filter(institution_id=own) if own is not None else self.none()

    def for_quarter(self, year: int, quarter: int):
        return self.filter(year=year, quarter=quarter)


class QuarterlyReport(models.Model):
    """The statistics of one guarantor body for one quarter."""

    institution = models.ForeignKey("network.Institution", verbose_name=_("institución"),
                                    on_delete=models.PROTECT, related_name="quarterly_reports")
    year = models.PositiveSmallIntegerField(
        _("año"), validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(2100)])
    quarter = models.PositiveSmallIntegerField(
        _("trimestre"), choices=[(n, _("%(n)sº trimestre") % {"n": n}) for n in (1, 2, 3, 4)])
    requests_received = models.PositiveIntegerField(_("solicitudes de información recibidas"))
    requests_on_time = models.PositiveIntegerField(_("solicitudes respondidas en tiempo"))
    appeals = models.PositiveIntegerField(_("recursos de revisión"))
    people_trained = models.PositiveIntegerField(_("personas capacitadas"))
    events = models.PositiveIntegerField(_("eventos realizados"))
    campaign_reach = models.PositiveIntegerField(
        _("alcance de campañas"), help_text=_("Personas alcanzadas por las campañas de difusión."))
    extra = models.JSONField(_("cifras adicionales"), default=dict, blank=True)
    notes = models.TextField(_("observaciones"), max_length=1000, blank=True)
    source = models.CharField(_("origen"), max_length=10, choices=ReportSource.choices,
                              default=ReportSource.ADMIN, editable=False)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuarterlyReportQuerySet.as_manager()

    panels = [
        FieldPanel("institution"),
        FieldRowPanel([FieldPanel("year"), FieldPanel("quarter")]),
        MultiFieldPanel([
            FieldRowPanel([FieldPanel("requests_received"), FieldPanel("requests_on_time")]),
            FieldRowPanel([FieldPanel("appeals"), FieldPanel("people_trained")]),
            FieldRowPanel([FieldPanel("events"), FieldPanel("campaign_reach")]),
        ], heading=_("Plantilla estándar")),
        FieldPanel("notes"),
    ]

    class Meta:
        ordering = ["-year", "-quarter", "institution__acronym"]
        verbose_name = _("informe estadístico trimestral")
        verbose_name_plural = _("informes estadísticos trimestrales")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "year", "quarter"], name="quarterly_report_unique",
                violation_error_message=_("Esta institución ya tiene un informe de ese "
                                          "trimestre; edítelo en lugar de crear otro.")),
            models.CheckConstraint(
                condition=Q(requests_on_time__lte=F("requests_received")),
                name="quarterly_report_on_time_lte_received",
                violation_error_message=_("Las solicitudes respondidas en tiempo no pueden ser "
                                          "más que las recibidas.")),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4),
                                   name="quarterly_report_quarter_1_4"),
        ]

    def __str__(self) -> str:
        acronym = self.institution.acronym if self.institution_id else "?"
        return f"{acronym} — {self.code}"

    @property
    def code(self) -> str:
        return quarter_code(self.year, self.quarter)

    def is_in_scope_of(self, user) -> bool:
        from network import rules

        return bool(rules.can_act_for_institution(user, self.institution_id))

    def clean(self):
        super().clean()
        if self.year and self.quarter:
            today = timezone.localdate()
            if (self.year, self.quarter) > (today.year, (today.month - 1) // 3 + 1):
                raise ValidationError({"quarter": _("Ese trimestre aún no empieza.")})


class StatisticsImport(ImportRecord):
    """One upload of quarterly figures: previewed, then applied whole or not at all, once.

    The same record and two steps as the network's contacts import (``network.domain.imports``),
    whose file reader it reuses; a row here is one institution and quarter."""

    columns = models.JSONField(_("columnas"), default=list)
    # The officer's institution when an officer uploaded; None for Coordinación.
    institution = models.ForeignKey("network.Institution", null=True, blank=True,
                                    on_delete=models.CASCADE, related_name="+")

    class Meta(ImportRecord.Meta):
        verbose_name = _("carga de estadísticas")
        verbose_name_plural = _("cargas de estadísticas")

    def __str__(self) -> str:
        return self.filename
