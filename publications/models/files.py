"""Published files (PDF, EPUB) of articles, issues and booklet editions: immutable, versioned."""

from __future__ import annotations

from django.core.files.storage import storages
from django.db import models
from django.utils.translation import gettext_lazy as _


def private_storage():
    """Never under MEDIA_URL: a file is served only by the download view, for live pages."""
    return storages["contests"]


class FileFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    EPUB = "epub", "EPUB"


class FileStatus(models.TextChoices):
    PENDING = "pendiente", _("En preparación")
    READY = "listo", _("Listo")
    FAILED = "fallido", _("Falló")


class PublicationFile(models.Model):
    """One version of one file of a page. A READY file never changes: a correction is a new
    version with its label ("v2 — fe de erratas, 10/01/2027"); earlier versions stay."""

    page = models.ForeignKey("wagtailcore.Page", verbose_name=_("página"),
                             on_delete=models.CASCADE, related_name="publication_files")
    format = models.CharField(_("formato"), max_length=8, choices=FileFormat.choices)
    version = models.PositiveSmallIntegerField(_("versión"), default=1)
    label = models.CharField(_("etiqueta"), max_length=200, blank=True)
    notice = models.TextField(_("aviso de corrección"), blank=True)
    status = models.CharField(_("estado"), max_length=12, choices=FileStatus.choices,
                              default=FileStatus.PENDING)
    file = models.FileField(_("archivo"), upload_to="publicaciones/%Y/", blank=True,
                            storage=private_storage)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("tamaño (bytes)"), null=True, blank=True)
    page_count = models.PositiveIntegerField(_("páginas"), null=True, blank=True)
    revision = models.ForeignKey("wagtailcore.Revision", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    source_sha256 = models.CharField(
        _("huella del contenido"), max_length=64, blank=True,
        help_text=_("SHA-256 del documento del que se hizo el archivo: si la página se vuelve "
                    "a publicar sin cambios, no se crea una versión nueva."))
    attempts = models.PositiveSmallIntegerField(_("intentos"), default=0)
    # When the job last began to make it, or someone asked for it again: a row left pending
    # long after that lost its job (``files.repair_lost_jobs``).
    attempted_at = models.DateTimeField(_("último intento"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    committee_notified_at = models.DateTimeField(_("comité avisado"), null=True, blank=True)
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)
    ready_at = models.DateTimeField(_("listo desde"), null=True, blank=True)

    class Meta:
        verbose_name = _("archivo publicado")
        verbose_name_plural = _("archivos publicados")
        ordering = ["page", "format", "-version"]
        constraints = [models.UniqueConstraint(fields=["page", "format", "version"],
                                               name="publications_file_version_once")]

    def __str__(self) -> str:
        return f"{self.page_id} {self.format} v{self.version}"

    @property
    def is_ready(self) -> bool:
        return self.status == FileStatus.READY

    @property
    def extension(self) -> str:
        return self.format

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.format]

    def download_path(self, slug: str | None = None) -> str:
        """The public address of this file: the download view. Never ``file.url``: the files
        live in the private storage, whose URLs are not public (or expire, on S3). ``slug``
        (the page's) saves a query when the caller has the page."""
        from django.urls import reverse

        return reverse("publications:file_download", kwargs={
            "file_id": self.pk, "version": self.version,
            "slug": slug or self.page.slug, "ext": self.format})


CONTENT_TYPES = {FileFormat.PDF: "application/pdf", FileFormat.EPUB: "application/epub+zip"}
