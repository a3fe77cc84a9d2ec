"""Laws and their reforms: data the booklets rest on."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel


class LawKind(models.TextChoices):
    GENERAL = "general", _("Ley general")
    FEDERAL = "federal", _("Ley federal")
    LOCAL = "local", _("Ley local")
    CONSTITUTION = "constitucion", _("Constitución")
    REGULATION = "reglamento", _("Reglamento o lineamientos")


class Law(models.Model):
    # Not unique on its own: the 2025 LGTAIP has the very name of the 2015 one it replaced.
    name = models.CharField(_("nombre"), max_length=300)
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
        constraints = [models.UniqueConstraint(
            fields=["name", "dof_date"], name="publications_law_unique_name_date",
            violation_error_message=_("Ya existe una ley con este nombre y esta fecha de "
                                      "publicación en el DOF."))]

    def __str__(self) -> str:
        year = f"{self.dof_date:%Y}" if self.dof_date else ""
        if year and year in self.short_name:
            return self.short_name
        return f"{self.short_name} ({year})" if year else self.short_name

    def clean(self):
        if self.in_force_date and self.dof_date and self.in_force_date < self.dof_date:
            raise ValidationError({"in_force_date": _(
                "La entrada en vigor no puede ser anterior a la publicación en el DOF.")})


class LawForm(WagtailAdminModelForm):
    """A law can replace only older laws, and never itself."""

    def clean(self):
        cleaned = super().clean()
        dof_date = cleaned.get("dof_date")
        for old in cleaned.get("replaces") or []:
            if self.instance.pk and old.pk == self.instance.pk:
                self.add_error("replaces", _("Una ley no puede sustituirse a sí misma."))
            elif dof_date and old.dof_date >= dof_date:
                self.add_error("replaces", _(
                    "%(law)s se publicó el %(date)s: una ley solo puede sustituir a leyes "
                    "publicadas antes que ella.") % {"law": old.short_name,
                                                      "date": old.dof_date.strftime("%d/%m/%Y")})
        return cleaned


Law.base_form_class = LawForm


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
        law = Law.objects.filter(pk=self.law_id).first() if self.law_id else None
        if law and self.dof_date and self.dof_date <= law.dof_date:
            raise ValidationError({"dof_date": _(
                "La reforma debe publicarse después de la ley que reforma (%(law)s, publicada el "
                "%(date)s).") % {"law": law.short_name, "date": law.dof_date.strftime("%d/%m/%Y")}})
