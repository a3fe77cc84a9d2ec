"""Admin screens for the bulk import: upload → preview with a per-row report → confirm."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from network import rules
from network.domain.imports import (
    SPECS,
    ImportAlreadyApplied,
    apply_import,
    preview_import,
    template_csv,
)
from network.enums import ImportKind
from network.models import ImportBatch
from network.views.import_flow import FILE_ERRORS, ImportScreens


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("¿Qué importa?"), choices=ImportKind.choices)
    file = forms.FileField(
        error_messages=FILE_ERRORS,
        label=gettext_lazy("Archivo CSV o XLSX"),
        help_text=gettext_lazy("Primera fila con los nombres de columna, como en la plantilla. "
                               "Máximo 5 MB y 10,000 filas."),
    )


class NetworkImportScreens(ImportScreens):
    model = ImportBatch
    form_class = UploadForm
    title = gettext_lazy("Importar contactos y aliados")
    upload_template = "network/admin/import_upload.html"
    preview_template = "network/admin/import_preview.html"
    preview_url = "network_import_preview"
    already_applied = ImportAlreadyApplied

    def allowed(self, user) -> bool:
        return rules.can_manage_network(user)

    def make_preview(self, form, actor):
        return preview_import(kind=form.cleaned_data["kind"], uploaded=form.cleaned_data["file"],
                              actor=actor)

    def apply(self, batch, actor):
        return apply_import(batch_id=batch.pk, actor=actor)

    def repeated_message(self) -> str:
        return _("Esta importación ya se había aplicado; no se repitió.")

    def applied_message(self, batch) -> str:
        return (_("Importación aplicada: %(c)s registros nuevos y %(u)s actualizados.")
                % {"c": batch.created_count, "u": batch.updated_count})

    def upload_context(self, request) -> dict:
        return {"show_kind": True, "kinds": ImportKind.choices,
                "specs": {k: v.columns for k, v in SPECS.items()}}

    def preview_columns(self, batch) -> list:
        return SPECS[batch.kind].columns


SCREENS = NetworkImportScreens()
upload, preview = SCREENS.views()


def template(request, kind: str):
    if not SCREENS.allowed(request.user):
        raise PermissionDenied
    if kind not in SPECS:
        raise PermissionDenied
    response = HttpResponse("\ufeff" + template_csv(kind), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="plantilla-{kind}.csv"'
    return response
