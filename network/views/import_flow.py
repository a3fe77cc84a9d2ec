"""The admin's upload → preview (per-row report) → apply-once screens, shared by every bulk
upload: the network's contacts and agreements, the officers' posts and the quarterly
statistics. A subclass names its batch model, templates, URL and the domain functions; the
flow, the scoping and the messages for a batch that cannot be applied live here once."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from wagtail.admin import messages

from network.domain.imports import ImportFileError
from network.enums import ImportStatus

PREVIEW_ROWS = 200


# Django's own Spanish for an empty upload is misspelt («El archivo enviado está vació»).
FILE_ERRORS = {"empty": gettext_lazy("El archivo está vacío.")}


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Archivo CSV o XLSX"), error_messages=FILE_ERRORS)


class ImportScreens:
    """Subclass and set the attributes; route ``upload`` and ``preview`` (``batch_id``)."""

    model: type[Model]
    title: str  # the upload screen's heading
    form_class: type[forms.Form] = UploadForm
    upload_template: str
    preview_template: str
    preview_url: str  # URL name of the preview screen, taking ``batch_id``
    already_applied: type[Exception]  # what ``apply`` raises for a batch applied before

    # -- what each upload says for itself -----------------------------------------------------
    def allowed(self, user) -> bool:
        raise NotImplementedError

    def scope(self, user, batches: QuerySet) -> QuerySet:
        """The batches this user may see (all of them unless a subclass narrows it)."""
        return batches

    def make_preview(self, form, actor) -> Model:
        """Read the uploaded file into a batch in PREVIEW or ERRORS; ``ImportFileError``
        when the file as a whole cannot be read."""
        raise NotImplementedError

    def apply(self, batch, actor) -> Model:
        raise NotImplementedError

    def applied_message(self, batch) -> str:
        raise NotImplementedError

    def repeated_message(self) -> str:
        return _("Esta carga ya se había aplicado; no se repitió.")

    def refused_message(self, error: ValidationError) -> str:
        return _("No se guardó nada. %(error)s") % {"error": " ".join(error.messages)}

    def upload_context(self, request) -> dict:
        return {}

    def preview_columns(self, batch) -> list:
        raise NotImplementedError

    def preview_rows(self, batch) -> list[dict]:
        return batch.rows[:PREVIEW_ROWS]

    def preview_context(self, batch) -> dict:
        return {"creates": sum(1 for r in batch.rows if r.get("_action") == "create"),
                "updates": sum(1 for r in batch.rows if r.get("_action") == "update")}

    # -- the flow -----------------------------------------------------------------------------
    def _require(self, request) -> None:
        if not self.allowed(request.user):
            raise PermissionDenied

    def upload(self, request):
        self._require(request)
        form = self.form_class(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                batch = self.make_preview(form, request.user)
            except ImportFileError as exc:
                form.add_error("file", str(exc))
            else:
                return redirect(self.preview_url, batch_id=batch.pk)
        recent = self.scope(request.user, self.model.objects.select_related("created_by"))[:10]
        return TemplateResponse(request, self.upload_template, {
            "title": self.title, "form": form, "recent": recent, "preview_url": self.preview_url,
            **self.upload_context(request)})

    def preview(self, request, batch_id: int):
        self._require(request)
        batch = self.scope(request.user, self.model.objects.all()).filter(pk=batch_id).first()
        if batch is None:
            raise Http404
        if request.method == "POST":
            if batch.status != ImportStatus.PREVIEW:
                messages.error(request, _("Esta carga no se puede aplicar: tiene errores o ya "
                                          "se aplicó."))
                return redirect(self.preview_url, batch_id=batch.pk)
            try:
                batch = self.apply(batch, request.user)
            except self.already_applied:
                messages.warning(request, self.repeated_message())
            except ValidationError as exc:
                messages.error(request, self.refused_message(exc))
            else:
                messages.success(request, self.applied_message(batch))
            return redirect(self.preview_url, batch_id=batch.pk)
        return TemplateResponse(request, self.preview_template, {
            "batch": batch, "columns": self.preview_columns(batch),
            "rows": self.preview_rows(batch),
            "hidden_rows": max(0, len(batch.rows) - PREVIEW_ROWS),
            **self.preview_context(batch)})

    def views(self):
        """``(upload, preview)`` as plain view functions for a URLconf."""
        methods = require_http_methods(["GET", "POST"])
        return methods(self.upload), methods(self.preview)
