"""Bulk scheduling screens: upload → preview with a per-row report → confirm (once)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext
from django.views.decorators.http import require_GET

from network.views.import_flow import FILE_ERRORS, ImportScreens

from .. import post_import as domain
from .. import rules
from ..models import PostImport

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(forms.Form):
    file = forms.FileField(
        error_messages=FILE_ERRORS,
        label=gettext_lazy("Archivo CSV o XLSX"),
        help_text=gettext_lazy("Primera fila con los nombres de columna, como en la plantilla; "
                               "una fila por publicación. Máximo 5 MB."),
    )


class PostImportScreens(ImportScreens):
    model = PostImport
    form_class = UploadForm
    title = gettext_lazy("Programar publicaciones desde un archivo")
    upload_template = "campaigns/admin/import_upload.html"
    preview_template = "campaigns/admin/import_preview.html"
    preview_url = "campaigns_import_preview"
    already_applied = domain.PostsAlreadyCreated

    def allowed(self, user) -> bool:
        return rules.can_import_posts(user)

    def scope(self, user, batches):
        return rules.scope_post_imports(user, batches)

    def make_preview(self, form, actor):
        return domain.preview_posts(uploaded=form.cleaned_data["file"], actor=actor)

    def apply(self, batch, actor):
        return domain.apply_posts(batch_id=batch.pk, actor=actor)

    def repeated_message(self) -> str:
        return _("Estas publicaciones ya se habían creado; no se repitió.")

    def refused_message(self, error) -> str:
        return (_("No se creó ninguna publicación: %(error)s")
                % {"error": " ".join(error.messages)})

    def applied_message(self, batch) -> str:
        return ngettext("Se creó %(n)s publicación.", "Se crearon %(n)s publicaciones.",
                        batch.created_count) % {"n": batch.created_count}

    def upload_context(self, request) -> dict:
        return {"columns": domain.COLUMNS}

    def preview_columns(self, batch) -> list:
        return domain.PREVIEW_COLUMNS

    def preview_context(self, batch) -> dict:
        return {"creates": len(batch.rows),
                "approvals": sum(1 for r in batch.rows if r.get("_approval")),
                # The file's columns keep their names; the outcome the preview adds gets words.
                "column_labels": {"aprobacion": _("¿Pasa por aprobación?")},
                "new_label": pgettext("publicación", "nueva")}


SCREENS = PostImportScreens()
upload, preview = SCREENS.views()


@require_GET
def template(request, fmt: str):
    if not SCREENS.allowed(request.user):
        raise PermissionDenied
    if fmt == "csv":
        response = HttpResponse("\ufeff" + domain.template_csv(request.user),
                                content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(domain.template_xlsx(request.user), content_type=XLSX)
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="plantilla-publicaciones.{fmt}"'
    return response
