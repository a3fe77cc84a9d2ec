"""The quarterly statistics in the Wagtail admin: the reports (scoped to the officer's
institution), the data-defined fields (Coordinación), and the upload screens."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from hub import converters as _ids  # noqa: F401  (registers <dbid:>)
from hub.models.statistics import QuarterlyReport, StatisticField
from hub.statistics import rules, views
from hub.statistics.forms import ExtraFiguresPanel, QuarterlyReportForm
from network.admin_columns import YesNoColumn
from network.admin_scope import InstitutionScopedViewSet, SafeExportViewSet


class QuarterlyReportViewSet(InstitutionScopedViewSet):
    model = QuarterlyReport
    icon = "table"
    menu_label = _("Informes trimestrales")
    list_display = ["institution", Column("code", label=_("Trimestre")), "requests_received",
                    "requests_on_time", "appeals", "people_trained"]
    list_filter = ["year", "quarter", "institution", "institution__region"]
    list_per_page = 50
    list_export = ["institution", "year", "quarter", "requests_received", "requests_on_time",
                   "appeals", "people_trained", "events", "campaign_reach", "notes"]
    export_filename = "estadisticas-trimestrales"
    edit_handler = ObjectList([*QuarterlyReport.panels, ExtraFiguresPanel()],
                              base_form_class=QuarterlyReportForm)

    def get_queryset(self, request):
        return rules.scope_reports(request.user, QuarterlyReport.objects.select_related(
            "institution"))


class StatisticFieldViewSet(SafeExportViewSet):
    model = StatisticField
    icon = "list-ul"
    menu_label = _("Campos adicionales")
    list_display = ["label", "key", "unit", Column("kind", accessor="get_kind_display",
                                                   label=_("Tipo")),
                    YesNoColumn("required", label=_("Obligatorio")),
                    YesNoColumn("active", label=_("Vigente"))]


class StatisticsGroup(SnippetViewSetGroup):
    items = (QuarterlyReportViewSet, StatisticFieldViewSet)
    menu_icon = "table"
    menu_label = _("Estadísticas")
    menu_name = "estadisticas"
    menu_order = 220


def admin_urls():
    return [
        path("estadisticas/cargar/", views.upload, name="statistics_upload"),
        path("estadisticas/cargar/<dbid:batch_id>/", views.preview, name="statistics_preview"),
        path("estadisticas/plantilla.<str:fmt>", views.template, name="statistics_template"),
    ]


class UploadMenuItem(MenuItem):
    def is_shown(self, request):
        return rules.can_submit_statistics(request.user)


def upload_menu_item():
    return UploadMenuItem(_("Cargar estadísticas"), reverse("statistics_upload"),
                          icon_name="upload", order=221)
