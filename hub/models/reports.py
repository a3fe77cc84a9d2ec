"""The quarterly report "en lenguaje ciudadano": an index page and one page per quarter and scope.

A report page is generated from the figures of ``hub.indicators.sections`` into an editable
draft (``hub.dashboard.reports.generate_report``); its chart blocks keep the numbers they were
generated with, so a published report never changes under its reader. Coordinación approves it
in the workflow "Informe trimestral"; readers can download it as PDF (``pdf/``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from hub.charts import bar_chart


class ChartRowBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("concepto"), max_length=200)
    value = blocks.DecimalBlock(label=_("valor"), required=False,
                                help_text=_("Vacío: sin datos."))


class ReportChartBlock(blocks.StructBlock):
    """A bar chart whose values were copied from the figures when the report was generated."""

    title = blocks.CharBlock(label=_("título"), max_length=200)
    unit = blocks.CharBlock(label=_("unidad"), max_length=20, required=False)
    rows = blocks.ListBlock(ChartRowBlock(), label=_("valores"))

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["chart"] = bar_chart([(row["label"], row["value"]) for row in value["rows"]])
        return context

    class Meta:
        icon = "table"
        label = _("Gráfica (valores fijos)")
        template = "hub/reports/blocks/chart.html"


class FigureBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("concepto"), max_length=200)
    value = blocks.CharBlock(label=_("cifra"), max_length=40)
    note = blocks.CharBlock(label=_("nota"), max_length=200, required=False)


class ReportBodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("Encabezado"), max_length=200, icon="title",
                               template="hub/reports/blocks/heading.html")
    paragraph = blocks.TextBlock(label=_("Párrafo en lenguaje ciudadano"), icon="pilcrow",
                                 template="hub/reports/blocks/paragraph.html")
    figures = blocks.ListBlock(FigureBlock(), label=_("Cifras"), icon="list-ul",
                               template="hub/reports/blocks/figures.html")
    chart = ReportChartBlock()


class QuarterlyReportIndexPage(Page):
    """Where the quarterly reports are published (one per site)."""

    intro = models.TextField(_("introducción"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["hub.HomePage"]
    subpage_types = ["hub.QuarterlyReportPage"]
    max_count = 1

    class Meta:
        verbose_name = _("índice de informes trimestrales")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["reports"] = (QuarterlyReportPage.objects.child_of(self).live()
                              .order_by("-year", "-quarter", "title"))
        return context


class QuarterlyReportPage(RoutablePageMixin, Page):
    """One quarter's report, national or of one region or institution."""

    year = models.PositiveSmallIntegerField(_("año"), editable=False)
    quarter = models.PositiveSmallIntegerField(_("trimestre"), editable=False)
    institution = models.ForeignKey(
        "network.Institution", verbose_name=_("institución"), null=True, blank=True,
        editable=False, on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(
        "network.Region", verbose_name=_("región"), null=True, blank=True, editable=False,
        on_delete=models.PROTECT, related_name="+")
    # "2026-3-nacional", "2026-3-i12", "2026-3-r2": one report per quarter and scope.
    scope_key = models.CharField(max_length=40, unique=True, editable=False)
    generated_at = models.DateTimeField(_("cifras generadas el"), editable=False)
    intro = models.TextField(_("introducción"), blank=True)
    body = StreamField(ReportBodyBlock(), verbose_name=_("contenido"), blank=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldPanel("intro")], heading=_("Presentación")),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["hub.QuarterlyReportIndexPage"]
    subpage_types: list[str] = []
    # Made only from the figures (``hub.dashboard.reports.generate_report``), never by hand.
    is_creatable = False

    class Meta:
        verbose_name = _("informe trimestral")
        verbose_name_plural = _("informes trimestrales")

    @property
    def period_label(self) -> str:
        from hub.indicators import Period

        return Period.quarter(self.year, self.quarter).label

    def pdf_filename(self) -> str:
        return f"informe-trimestral-{self.scope_key}.pdf"

    @path("pdf/")
    def pdf(self, request):
        from hub.dashboard.reports import pdf_response

        return pdf_response(self, request)
