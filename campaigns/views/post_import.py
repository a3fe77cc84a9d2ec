"""Bulk scheduling screens: upload → preview with a per-row report → confirm (once)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods
from wagtail.admin import messages

from network.enums import ImportStatus

from .. import post_import as domain
from .. import rules
from ..models import PostImport

PREVIEW_ROWS = 200
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Archivo CSV o XLSX"),
        help_text=gettext_lazy("Primera fila con los nombres de columna, como en la plantilla; "
                               "una fila por publicación. Máximo 5 MB."),
    )


def _require_importer(request):
    if not rules.can_import_posts(request.user):
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
def upload(request):
    _require_importer(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = domain.preview_posts(uploaded=form.cleaned_data["file"], actor=request.user)
        except domain.ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("campaigns_import_preview", batch_id=batch.pk)
    recent = rules.scope_post_imports(request.user, PostImport.objects.all())[:10]
    return TemplateResponse(request, "campaigns/admin/import_upload.html", {
        "form": form, "recent": recent, "columns": domain.COLUMNS})


@require_http_methods(["GET", "POST"])
def preview(request, batch_id: int):
    _require_importer(request)
    batch = rules.scope_post_imports(request.user, PostImport.objects.all()).filter(
        pk=batch_id).first()
    if batch is None:
        raise Http404
    if request.method == "POST":
        if batch.status != ImportStatus.PREVIEW:
            messages.error(request, _("Esta carga no se puede aplicar: tiene errores o ya se "
                                      "aplicó."))
            return redirect("campaigns_import_preview", batch_id=batch.pk)
        try:
            batch = domain.apply_posts(batch_id=batch.pk, actor=request.user)
        except domain.PostsAlreadyCreated:
            messages.warning(request, _("Estas publicaciones ya se habían creado; no se repitió."))
        except ValidationError as exc:
            messages.error(request, _("No se creó ninguna publicación: %(error)s")
                           % {"error": " ".join(exc.messages)})
        else:
            messages.success(request, ngettext(
                "Se creó %(n)s publicación.", "Se crearon %(n)s publicaciones.",
                batch.created_count) % {"n": batch.created_count})
        return redirect("campaigns_import_preview", batch_id=batch.pk)
    return TemplateResponse(request, "campaigns/admin/import_preview.html", {
        "batch": batch, "columns": domain.PREVIEW_COLUMNS, "rows": batch.rows[:PREVIEW_ROWS],
        "hidden_rows": max(0, len(batch.rows) - PREVIEW_ROWS),
        "creates": len(batch.rows),
        "approvals": sum(1 for r in batch.rows if r.get("_approval")),
    })


@require_GET
def template(request, fmt: str):
    _require_importer(request)
    if fmt == "csv":
        response = HttpResponse("\ufeff" + domain.template_csv(request.user),
                                content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(domain.template_xlsx(request.user), content_type=XLSX)
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="plantilla-publicaciones.{fmt}"'
    return response
