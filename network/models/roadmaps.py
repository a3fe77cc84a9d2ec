"""Municipal transparency roadmaps (hojas de ruta, seed 003).

The 16 tools of the Modelo Regional de Transparencia Municipal are a catalogue (data, edited
by Coordinación). Starting the roadmap of an agreement with a municipality turns them into
dated milestones (``network.domain.roadmaps.start_roadmap``); the parties record progress and
evidence; a beat job reminds the people responsible of overdue milestones.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel, FieldRowPanel

from ..enums import MilestoneStatus, ReminderState, RoadmapDimension, State, ToolRecurrence

MAX_DURATION_MONTHS = 60


class RoadmapTool(models.Model):
    """One tool of the model: its dimension, what it asks and how long it takes."""

    dimension = models.PositiveSmallIntegerField(_("dimensión"), choices=RoadmapDimension.choices)
    order = models.PositiveSmallIntegerField(_("orden en la dimensión"), default=1)
    name = models.CharField(_("herramienta"), max_length=200, unique=True)
    description = models.TextField(_("descripción"))
    duration_label = models.CharField(
        _("temporalidad"), max_length=80,
        help_text=_("Como la expresa el modelo: «3 meses», «Anual», «Depende de la duración "
                    "del proyecto»."),
    )
    duration_months = models.PositiveSmallIntegerField(
        _("duración en meses"), null=True, blank=True,
        help_text=_("Vacía si depende de la duración del proyecto: se usa la que se indique "
                    "al iniciar la hoja de ruta."),
    )
    recurrence = models.CharField(_("periodicidad"), max_length=10,
                                  choices=ToolRecurrence.choices, default=ToolRecurrence.ONCE)
    active = models.BooleanField(
        _("activa"), default=True,
        help_text=_("Solo las herramientas activas se incluyen en las hojas de ruta nuevas."),
    )
    updated_at = models.DateTimeField(_("actualizada"), auto_now=True)

    panels = [
        FieldRowPanel([FieldPanel("dimension"), FieldPanel("order")]),
        FieldPanel("name"), FieldPanel("description"),
        FieldRowPanel([FieldPanel("duration_label"), FieldPanel("duration_months"),
                       FieldPanel("recurrence")]),
        FieldPanel("active"),
    ]

    class Meta:
        ordering = ["dimension", "order", "pk"]
        verbose_name = _("herramienta del modelo municipal")
        verbose_name_plural = _("herramientas del modelo municipal")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        self.name = (self.name or "").strip()
        if self.duration_months is not None and not 1 <= self.duration_months <= MAX_DURATION_MONTHS:
            raise ValidationError({"duration_months": _(
                "La duración debe estar entre 1 y %(max)s meses.") % {"max": MAX_DURATION_MONTHS}})
        if self.recurrence == ToolRecurrence.ANNUAL and self.duration_months not in (None, 12):
            raise ValidationError({"duration_months": _(
                "Una herramienta anual dura 12 meses; deje la duración en 12.")})


class RoadmapQuerySet(models.QuerySet):
    def public(self):
        return self.filter(agreement__is_public=True)

    def in_scope_of(self, user):
        """Coordinación: all; an officer: roadmaps of agreements their institution signed."""
        from network import rules

        if rules.is_coordinator(user):
            return self
        own = rules.officer_institution_id(user) if rules.is_officer(user) else None
        if own is None:
            return self.none()
        return self.filter(agreement__institutions=own).distinct()


class Roadmap(models.Model):
    """The hoja de ruta of one agreement with a municipality (one per agreement)."""

    agreement = models.OneToOneField(
        "network.Agreement", verbose_name=_("convenio"), on_delete=models.PROTECT,
        related_name="roadmap",
    )
    guarantor = models.ForeignKey(
        "network.Institution", verbose_name=_("órgano garante"), on_delete=models.PROTECT,
        related_name="roadmaps",
    )
    municipality = models.CharField(_("municipio"), max_length=150)
    state = models.CharField(_("entidad federativa"), max_length=5, choices=State.choices)
    slug = models.SlugField(_("identificador en la URL"), max_length=100, unique=True)
    starts_on = models.DateField(_("inicio"))
    project_months = models.PositiveSmallIntegerField(
        _("duración de los proyectos (meses)"), default=12,
        help_text=_("Para las herramientas cuya temporalidad depende del proyecto."),
    )
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("iniciada por"),
                                   null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("iniciada"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizada"), auto_now=True)

    objects = RoadmapQuerySet.as_manager()

    class Meta:
        ordering = ["state", "municipality"]
        verbose_name = _("hoja de ruta municipal")
        verbose_name_plural = _("hojas de ruta municipales")

    def __str__(self) -> str:
        return _("Hoja de ruta de %(municipality)s") % {"municipality": self.municipality}

    def get_absolute_url(self) -> str:
        return reverse("network:roadmap", kwargs={"slug": self.slug})

    def is_in_scope_of(self, user) -> bool:
        from network import rules

        return bool(rules.is_party_of(user, self.agreement))


class MilestoneQuerySet(models.QuerySet):
    def overdue(self, on=None):
        """Not concluded and past the due date (today in Mexico City by default)."""
        on = on or timezone.localdate()
        return self.filter(status__in=MilestoneStatus.open(), due_on__lt=on)

    def done(self):
        return self.filter(status=MilestoneStatus.DONE)


class Milestone(models.Model):
    """A tool of the model as a dated commitment of one roadmap (annual tools: one per year)."""

    roadmap = models.ForeignKey(Roadmap, verbose_name=_("hoja de ruta"), on_delete=models.CASCADE,
                                related_name="milestones")
    tool = models.ForeignKey(RoadmapTool, verbose_name=_("herramienta"), on_delete=models.PROTECT,
                             related_name="milestones")
    cycle = models.PositiveSmallIntegerField(
        _("ciclo"), default=1, help_text=_("El año de la herramienta anual (1 el primero)."))
    starts_on = models.DateField(_("inicia"))
    due_on = models.DateField(_("vence"))
    status = models.CharField(pgettext_lazy("progress", "estado"), max_length=20,
                              choices=MilestoneStatus.choices, default=MilestoneStatus.NOT_STARTED)
    completed_on = models.DateField(_("concluido el"), null=True, blank=True)
    evidence_url = models.URLField(_("enlace a la evidencia"), max_length=500, blank=True)
    evidence_document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("documento de evidencia"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    notes = models.TextField(_("observaciones"), blank=True, max_length=2000)
    responsible = models.ManyToManyField(
        "network.Person", verbose_name=_("contrapartes responsables"), blank=True,
        related_name="milestones",
    )
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("actualizado por"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        ordering = ["roadmap", "tool__dimension", "tool__order", "cycle"]
        verbose_name = _("hito de hoja de ruta")
        verbose_name_plural = _("hitos de hojas de ruta")
        constraints = [
            models.UniqueConstraint(fields=["roadmap", "tool", "cycle"],
                                    name="milestone_one_per_tool_and_cycle"),
            models.CheckConstraint(condition=Q(due_on__gte=models.F("starts_on")),
                                   name="milestone_due_after_start"),
        ]

    def __str__(self) -> str:
        if self.cycle > 1:
            return _("%(tool)s (año %(cycle)s)") % {"tool": self.tool.name, "cycle": self.cycle}
        return self.tool.name

    def is_overdue(self, on=None) -> bool:
        on = on or timezone.localdate()
        return self.status in MilestoneStatus.open() and self.due_on < on

    @property
    def overdue(self) -> bool:
        return self.is_overdue()

    def is_in_scope_of(self, user) -> bool:
        return self.roadmap.is_in_scope_of(user)


class MilestoneReminder(models.Model):
    """One reminder of one overdue milestone for one period: claimed (inserted) before the mail
    goes out, so a second run or a restarted worker never sends it again."""

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="reminders")
    period = models.PositiveIntegerField(
        _("periodo"), help_text=_("Periodos transcurridos desde el vencimiento (0 el primero)."))
    state = models.CharField(pgettext_lazy("delivery", "estado"), max_length=20,
                             choices=ReminderState.choices, default=ReminderState.SENDING)
    recipients = models.PositiveSmallIntegerField(_("destinatarios"), default=0)
    claimed_at = models.DateTimeField(_("reclamado"), auto_now_add=True)
    sent_at = models.DateTimeField(_("enviado"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)

    class Meta:
        ordering = ["-claimed_at"]
        verbose_name = _("recordatorio de hito")
        verbose_name_plural = _("recordatorios de hitos")
        constraints = [
            models.UniqueConstraint(fields=["milestone", "period"],
                                    name="milestone_reminder_once_per_period"),
        ]

    def __str__(self) -> str:
        return f"{self.milestone} — {self.period}"
