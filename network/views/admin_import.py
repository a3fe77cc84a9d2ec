"""Admin screens for the bulk import: upload → preview with a per-row report → confirm."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from wagtail.admin import messages

from network import rules
from network.domain.imports import (
    SPECS,
    ImportAlreadyApplied,
    ImportFileError,
    apply_import,
    preview_import,
    template_csv,
)
from network.enums import ImportKind, ImportStatus
from network.models import ImportBatch

PREVIEW_ROWS = 200


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("¿Qué importa?"), choices=ImportKind.choices)
    file = forms.FileField(
        label=gettext_lazy("Archivo CSV o XLSX"),
        help_text=gettext_lazy("Primera fila con los nombres de columna, como en la plantilla. "
                               "Máximo 5 MB y 10,000 filas."),
    )


def _require_coordinator(request):
    if not rules.can_manage_network(request.user):
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
def upload(request):
    _require_coordinator(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = preview_import(kind=form.cleaned_data["kind"],
                                   uploaded=form.cleaned_data["file"], actor=request.user)
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("network_import_preview", batch_id=batch.pk)
    recent = ImportBatch.objects.select_related("created_by")[:10]
    return TemplateResponse(request, "network/admin/import_upload.html", {
        "form": form, "recent": recent, "kinds": ImportKind.choices,
        "specs": {k: v.columns for k, v in SPECS.items()},
    })


@require_http_methods(["GET", "POST"])
def preview(request, batch_id: int):
    _require_coordinator(request)
    batch = get_object_or_404(ImportBatch, pk=batch_id)
    if request.method == "POST":
        if batch.status != ImportStatus.PREVIEW:
            messages.error(request, _("Esta importación no se puede aplicar: tiene errores o ya "
                                      "se aplicó."))
            return redirect("network_import_preview", batch_id=batch.pk)
        try:
            batch = apply_import(batch_id=batch.pk, actor=request.user)
        except ImportAlreadyApplied:
            messages.warning(request, _("Esta importación ya se había aplicado; no se repitió."))
        else:
            messages.success(request, _("Importación aplicada: %(c)s registros nuevos y "
                                        "%(u)s actualizados.")
                             % {"c": batch.created_count, "u": batch.updated_count})
        return redirect("network_import_preview", batch_id=batch.pk)
    columns = SPECS[batch.kind].columns
    return TemplateResponse(request, "network/admin/import_preview.html", {
        "batch": batch,
        "columns": columns,
        "rows": batch.rows[:PREVIEW_ROWS],
        "hidden_rows": max(0, len(batch.rows) - PREVIEW_ROWS),
        "creates": sum(1 for r in batch.rows if r.get("_action") == "create"),
        "updates": sum(1 for r in batch.rows if r.get("_action") == "update"),
    })


def template(request, kind: str):
    _require_coordinator(request)
    if kind not in SPECS:
        raise PermissionDenied
    response = HttpResponse("\ufeff" + template_csv(kind), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="plantilla-{kind}.csv"'
    return response
