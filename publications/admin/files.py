"""Admin: files. The committee's list of published files (version, label, status, size,
SHA-256, error), with "Reintentar" and "Etiqueta y aviso" actions, and a warning when PDF
making cannot work on this server (Pango missing)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem

from hub import converters as _ids  # noqa: F401  (registers <dbid:>)

from ..domain import files as domain
from ..models.files import FileStatus, PublicationFile

PERM = "publications.manage_files"


def _require(request) -> None:
    if not request.user.has_perm(PERM):
        raise PermissionDenied


class DescribeForm(forms.Form):
    label = forms.CharField(label=_("Etiqueta"), max_length=200,
                            help_text=_("Por ejemplo: «v2 — fe de erratas, 10/01/2027»."))
    notice = forms.CharField(label=_("Aviso de corrección"), required=False,
                             widget=forms.Textarea(attrs={"rows": 4}),
                             help_text=_("Se muestra junto a las descargas de la página: "
                                         "explique qué se corrigió."))


def file_list(request):
    _require(request)
    rows = PublicationFile.objects.select_related("page").order_by("-created_at", "-pk")
    status = request.GET.get("estado", "")
    if status in FileStatus.values:
        rows = rows.filter(status=status)
    page_id = request.GET.get("pagina", "")
    if page_id.isascii() and page_id.isdigit() and len(page_id) < 19:
        rows = rows.filter(page_id=int(page_id))
    listing = Paginator(rows, 50).get_page(request.GET.get("p"))
    return TemplateResponse(request, "publications/admin/files.html", {
        "listing": listing, "statuses": FileStatus.choices, "status": status,
        "page_id": page_id, "pango_problem": domain.pango_problem()})


@require_POST
def file_retry(request, pk: int):
    _require(request)
    file = get_object_or_404(PublicationFile, pk=pk)
    if domain.retry(file, request.user):
        messages.success(request, _("Se pidió de nuevo el archivo; el estado se actualizará en "
                                    "unos momentos."))
    else:
        messages.warning(request, _("Ese archivo ya está listo: un archivo publicado no cambia."))
    return redirect(reverse("publications_admin_files"))


def file_describe(request, pk: int):
    _require(request)
    file = get_object_or_404(PublicationFile.objects.select_related("page"), pk=pk)
    form = DescribeForm(request.POST or None, initial={"label": file.label, "notice": file.notice})
    if request.method == "POST" and form.is_valid():
        domain.describe(file, label=form.cleaned_data["label"],
                        notice=form.cleaned_data["notice"], actor=request.user)
        messages.success(request, _("Etiqueta y aviso guardados; el archivo no cambió."))
        return redirect(reverse("publications_admin_files"))
    return TemplateResponse(request, "publications/admin/file_describe.html",
                            {"file": file, "form": form})


@hooks.register("register_admin_urls")
def register_file_urls():
    return [
        path("archivos-publicados/", file_list, name="publications_admin_files"),
        path("archivos-publicados/<dbid:pk>/reintentar/", file_retry,
             name="publications_admin_file_retry"),
        path("archivos-publicados/<dbid:pk>/etiqueta/", file_describe,
             name="publications_admin_file_describe"),
    ]


class FilesMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERM)


@hooks.register("register_admin_menu_item")
def files_menu_item():
    return FilesMenuItem(_("Archivos publicados"), reverse("publications_admin_files"),
                         icon_name="doc-full", order=175)


@hooks.register("register_page_header_buttons")
def files_header_button(page, user, view_name, next_url=None):
    """"Archivos (PDF/EPUB)" in the page's header menu: its versions, statuses and errors."""
    from wagtail.admin.widgets import Button

    if domain.kind_of(page) is None or not user.has_perm(PERM):
        return
    yield Button(_("Archivos (PDF/EPUB)"),
                 reverse("publications_admin_files") + f"?pagina={page.pk}",
                 icon_name="doc-full", priority=66)
