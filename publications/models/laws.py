"""Laws and their reforms: data the booklets rest on."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel


class LawKind(models.TextChoices):
    GENERAL = "general", _("Ley general")
    FEDERAL = "federal", _("Ley federal")
    LOCAL = "local", _("Ley local")
    CONSTITUTION = "constitucion", _("Constitución")
    REGULATION = "reglamento", _("Reglamento o lineamientos")


class Law(models.Model):
    name = models.CharField(_("nombre"), max_length=300, unique=True)
    short_name = models.CharField(_("nombre corto"), max_length=30, unique=True,
                                  help_text=_("Por ejemplo LGTAIP."))
    kind = models.CharField(_("tipo"), max_length=20, choices=LawKind.choices,
                            default=LawKind.GENERAL)
    dof_date = models.DateField(_("publicación en el DOF"))
    in_force_date = models.DateField(_("entrada en vigor"), null=True, blank=True)
    url = models.URLField(_("enlace al texto"), blank=True)
    replaces = models.ManyToManyField("self", verbose_name=_("abroga o sustituye a"), blank=True,
                                      symmetrical=False, related_name="replaced_by")

    panels = [FieldPanel("name"), FieldRowPanel([FieldPanel("short_name"), FieldPanel("kind")]),
              FieldRowPanel([FieldPanel("dof_date"), FieldPanel("in_force_date")]),
              FieldPanel("url"), FieldPanel("replaces")]

    class Meta:
        verbose_name = _("ley")
        verbose_name_plural = _("leyes")
        ordering = ["-dof_date", "short_name"]

    def __str__(self) -> str:
        return f"{self.short_name} ({self.dof_date:%Y})"

    def clean(self):
        if self.in_force_date and self.dof_date and self.in_force_date < self.dof_date:
            raise ValidationError({"in_force_date": _(
                "La entrada en vigor no puede ser anterior a la publicación en el DOF.")})


class Reform(models.Model):
    """A decree that reforms a law (a law replaced by a new one is ``Law.replaces``)."""

    law = models.ForeignKey(Law, verbose_name=_("ley reformada"), on_delete=models.PROTECT,
                            related_name="reforms")
    title = models.CharField(_("decreto"), max_length=400)
    dof_date = models.DateField(_("publicación en el DOF"))
    in_force_date = models.DateField(_("entrada en vigor"), null=True, blank=True)
    url = models.URLField(_("enlace al decreto"), blank=True)
    summary = models.TextField(_("qué cambia"), blank=True)

    panels = [FieldPanel("law"), FieldPanel("title"),
              FieldRowPanel([FieldPanel("dof_date"), FieldPanel("in_force_date")]),
              FieldPanel("url"), FieldPanel("summary")]

    class Meta:
        verbose_name = _("reforma")
        verbose_name_plural = _("reformas")
        ordering = ["-dof_date"]

    def __str__(self) -> str:
        return f"{self.law.short_name}: {self.title} ({self.dof_date:%d/%m/%Y})"

    def clean(self):
        if self.in_force_date and self.dof_date and self.in_force_date < self.dof_date:
            raise ValidationError({"in_force_date": _(
                "La entrada en vigor no puede ser anterior a la publicación en el DOF.")})
