"""Reading statistics: counts per page, kind and day. No cookie, no IP, no person."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReadingKind(models.TextChoices):
    VIEW = "vista", _("Lectura")
    DOWNLOAD = "descarga", _("Descarga")


class ReadingCount(models.Model):
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE,
                             related_name="reading_counts")
    kind = models.CharField(_("tipo"), max_length=10, choices=ReadingKind.choices)
    day = models.DateField(_("día"))
    count = models.PositiveIntegerField(_("total"), default=0)

    class Meta:
        verbose_name = _("conteo de lecturas")
        verbose_name_plural = _("conteos de lecturas")
        constraints = [models.UniqueConstraint(fields=["page", "kind", "day"],
                                               name="publications_reading_count_once")]
        indexes = [models.Index(fields=["day"])]

    def __str__(self) -> str:
        return f"{self.page_id} {self.kind} {self.day}: {self.count}"
