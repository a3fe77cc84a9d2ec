"""Calls for articles: which contest entry became which draft article (once)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ArticleFromEntry(models.Model):
    """An accepted entry of a call for articles turned into a draft article. One per entry:
    converting twice is refused by the domain and, under a race, by the constraint."""

    entry = models.ForeignKey("contests.Entry", verbose_name=_("participación"),
                              on_delete=models.PROTECT, related_name="+")
    article = models.OneToOneField("publications.ArticlePage", verbose_name=_("artículo"),
                                   on_delete=models.CASCADE, related_name="from_entry")
    document = models.ForeignKey("wagtaildocs.Document", verbose_name=_("texto original"),
                                 null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("creado el"), default=timezone.now)

    class Meta:
        verbose_name = _("artículo desde convocatoria")
        verbose_name_plural = _("artículos desde convocatorias")
        constraints = [models.UniqueConstraint(fields=["entry"],
                                               name="publications_entry_converted_once")]

    def __str__(self) -> str:
        return f"{self.entry} → {self.article}"
