"""Upload screens (upload → preview with a per-row report → confirm) and the public page."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from hub import sitecache
from hub.charts import bar_chart
from hub.models.statistics import StatisticsImport, quarter_code
from hub.statistics import domain, rules
from hub.statistics import figures as stats
from network.views.import_flow import FILE_ERRORS, PREVIEW_ROWS, ImportScreens


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Archivo CSV o XLSX"),
        help_text=gettext_lazy("Primera fila con los nombres de columna, como en la plantilla; "
                               "una fila por institución y trimestre. Máximo 5 MB."),
        error_messages=FILE_ERRORS,
    )


def _template_quarter() -> tuple[int, int]:
    return domain.previous_quarter(*domain.current_quarter())


class StatisticsImportScreens(ImportScreens):
    model = StatisticsImport
    form_class = UploadForm
    title = gettext_lazy("Cargar estadísticas trimestrales")
    upload_template = "hub/statistics/admin/upload.html"
    preview_template = "hub/statistics/admin/preview.html"
    preview_url = "statistics_preview"
    already_applied = domain.UploadAlreadyApplied

    def allowed(self, user) -> bool:
        return rules.can_submit_statistics(user)

    def scope(self, user, batches):
        return rules.scope_imports(user, batches)

    def make_preview(self, form, actor):
        return domain.preview_upload(uploaded=form.cleaned_data["file"], actor=actor)

    def apply(self, batch, actor):
        return domain.apply_upload(batch_id=batch.pk, actor=actor)

    def applied_message(self, batch) -> str:
        return (_("Cifras guardadas. Informes nuevos: %(c)s; actualizados: %(u)s.")
                % {"c": batch.created_count, "u": batch.updated_count})

    def upload_context(self, request) -> dict:
        year, quarter = _template_quarter()
        return {"template_quarter": quarter_code(year, quarter),
                "columns": domain.template_columns(domain.active_definitions())}

    def preview_columns(self, batch) -> list:
        return batch.columns or domain.template_columns([])

    def preview_rows(self, batch) -> list[dict]:
        return [{**{k: v for k, v in r.items() if k != "extra"}, **(r.get("extra") or {})}
                for r in batch.rows[:PREVIEW_ROWS]]


SCREENS = StatisticsImportScreens()
upload, preview = SCREENS.views()


@require_GET
def template(request, fmt: str):
    if not SCREENS.allowed(request.user):
        raise PermissionDenied
    year, quarter = _template_quarter()
    chosen = request.GET.get("trimestre")
    if chosen:
        try:
            year, quarter = domain.parse_quarter(chosen)
        except ValidationError as error:
            return HttpResponse(" ".join(error.messages), status=400,
                                content_type="text/plain; charset=utf-8")
    name = f"plantilla-estadisticas-{quarter_code(year, quarter)}"
    if fmt == "csv":
        response = HttpResponse("\ufeff" + domain.template_csv(request.user, year, quarter),
                                content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            domain.template_xlsx(request.user, year, quarter),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@require_GET
def public(request):
    """Figures of one quarter charted per region, with a table per region and per institution."""
    sitecache.pin()  # the tables are kept ({% kept %}): the version first, then the rows
    quarters = stats.quarters_with_data()
    codes = [quarter_code(y, q) for y, q in quarters]
    chosen = request.GET.get("trimestre", "")
    selected = quarters[codes.index(chosen)] if chosen in codes else (
        quarters[0] if quarters else None)
    catalogue = stats.catalogue()
    keys = [f.key for f in catalogue]
    figure_key = request.GET.get("cifra", "")
    figure = catalogue[keys.index(figure_key)] if figure_key in keys else catalogue[0]
    context = {"quarters": list(zip(codes, quarters, strict=True)), "catalogue": catalogue,
               "figure": figure, "selected_code": "", "chart": None}
    if selected:
        reports = stats.reports_of_quarter(*selected)
        regions = stats.by_region(reports, catalogue)
        context.update({
            "selected_code": quarter_code(*selected),
            "selected_label": _("%(n)sº trimestre de %(year)s") % {"n": selected[1],
                                                                   "year": selected[0]},
            "regions": regions,
            "institutions": [{"report": r, "values": [f.value(r) for f in catalogue],
                              "rate": stats.on_time_rate(r.requests_received,
                                                         r.requests_on_time)}
                             for r in reports],
            "chart": bar_chart([(row["region"], row["values"][figure.key]) for row in regions],
                               label_width=170),
            "chart_title": _("%(figure)s por región, %(quarter)s") % {
                "figure": figure.label + (_(" (promedio)") if figure.averaged else ""),
                "quarter": quarter_code(*selected)},
        })
    return render(request, "hub/statistics/public.html", context)
