"""Regional joint agendas (seed 004): a region's objectives for a year, their lines of action,
the events that serve each line and the follow-up of each. Campaigns link to lines of action
from their own side (``Campaign.action_lines``): the network never imports campaigns."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable
from wagtail.search import index

from .. import rules
from ..enums import ActionLineStatus, PracticeTopic
from ..widgets import MultipleChooser
from . import Event, Institution, Region, validate_date_range


class _RegionScopedQuerySet(models.QuerySet):
    """Rows of a region's agenda: Coordinación sees all, an officer their region's."""

    region_lookup = "region"

    def in_scope_of(self, user):
        if rules.is_coordinator(user):
            return self
        own = rules.officer_region_id(user)
        if own is None:
            return self.none()
        if "__" in self.region_lookup:
            # By id: a search of the listing or the chooser filters only on the model's own
            # indexed fields, not across relations (it answered a 500).
            return self.filter(pk__in=self.model._default_manager.filter(
                **{self.region_lookup: own}).values("pk"))
        return self.filter(**{self.region_lookup: own})


class JointAgendaQuerySet(_RegionScopedQuerySet):
    region_lookup = "region"

    def public(self):
        return self.filter(is_public=True)


class AgendaObjectiveQuerySet(_RegionScopedQuerySet):
    region_lookup = "agenda__region"


class ActionLineQuerySet(_RegionScopedQuerySet):
    region_lookup = "objective__agenda__region"

    def public(self):
        return self.filter(objective__agenda__is_public=True)


class JointAgenda(index.Indexed, ClusterableModel):
    """The objectives the guarantors of one region agree to pursue together in a year."""

    region = models.ForeignKey(Region, verbose_name=_("región"), on_delete=models.PROTECT,
                               related_name="agendas")
    year = models.PositiveSmallIntegerField(
        _("año"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    title = models.CharField(_("título"), max_length=200)
    starts_on = models.DateField(_("inicia"), null=True, blank=True)
    ends_on = models.DateField(_("termina"), null=True, blank=True)
    summary = models.TextField(_("presentación"), blank=True)
    is_public = models.BooleanField(
        _("publicar en el sitio y en datos abiertos"), default=True)
    updated_at = models.DateTimeField(_("actualizada"), auto_now=True)

    objects = JointAgendaQuerySet.as_manager()

    search_fields = [
        index.SearchField("title"),
        index.AutocompleteField("title"),
        index.FilterField("region"),
        index.FilterField("year"),
    ]

    panels = [
        FieldRowPanel([FieldPanel("region"), FieldPanel("year")]),
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
        FieldPanel("summary"), FieldPanel("is_public"),
        InlinePanel("objectives", heading=_("Objetivos compartidos"), label=_("Objetivo"),
                    min_num=1),
    ]

    class Meta:
        ordering = ["-year", "region__order"]
        verbose_name = _("agenda regional conjunta")
        verbose_name_plural = _("agendas regionales conjuntas")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year"], name="joint_agenda_one_per_region_year",
                violation_error_message=_("Esa región ya tiene su agenda conjunta de ese año."),
            )
        ]

    def __str__(self) -> str:
        region = self.region.name if self.region_id else ""
        return f"{region} {self.year} — {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("network:agenda_region", kwargs={"slug": self.region.slug})

    def is_in_scope_of(self, user) -> bool:
        """The hook ``network.rules.can_act_on`` asks: Coordinación or an officer of the region."""
        return bool(rules.can_edit_region_agenda(user, self.region_id))

    def clean(self) -> None:
        super().clean()
        self.title = (self.title or "").strip()
        validate_date_range(self.starts_on, self.ends_on, start_field="starts_on",
                            end_field="ends_on",
                            message=_("La agenda no puede terminar antes de empezar."))


class AgendaObjective(Orderable):
    """A shared objective of a joint agenda; its lines of action say how it is pursued."""

    agenda = ParentalKey(JointAgenda, on_delete=models.CASCADE, related_name="objectives")
    title = models.CharField(_("objetivo"), max_length=255)
    topic = models.CharField(_("eje temático"), max_length=20, choices=PracticeTopic.choices,
                             blank=True)
    description = models.TextField(_("descripción"), blank=True)

    objects = AgendaObjectiveQuerySet.as_manager()

    panels = [FieldPanel("title"), FieldPanel("topic"), FieldPanel("description")]

    class Meta(Orderable.Meta):
        verbose_name = _("objetivo compartido")
        verbose_name_plural = _("objetivos compartidos")

    def __str__(self) -> str:
        return f"{self.agenda} · {self.title}" if self.agenda_id else self.title


class ActionLine(index.Indexed, ClusterableModel):
    """A line of action of an objective: who carries it out, when, how it goes."""

    objective = models.ForeignKey(
        AgendaObjective, verbose_name=_("objetivo"), on_delete=models.PROTECT,
        related_name="lines")
    title = models.CharField(_("línea de acción"), max_length=255)
    description = models.TextField(_("descripción"), blank=True)
    responsible = ParentalManyToManyField(
        Institution, verbose_name=_("instituciones responsables"), related_name="action_lines")
    starts_on = models.DateField(_("inicia"), null=True, blank=True)
    ends_on = models.DateField(_("fecha compromiso"), null=True, blank=True)
    status = models.CharField(pgettext_lazy("line of action", "estatus"), max_length=20,
                              choices=ActionLineStatus.choices, default=ActionLineStatus.PLANNED)
    events = ParentalManyToManyField(
        Event, verbose_name=_("eventos que la atienden"), blank=True,
        related_name="action_lines")
    updated_at = models.DateTimeField(_("actualizada"), auto_now=True)

    objects = ActionLineQuerySet.as_manager()

    search_fields = [
        index.SearchField("title"),
        index.AutocompleteField("title"),
        index.FilterField("id"),
        index.FilterField("status"),
        index.FilterField("objective"),
    ]

    panels = [
        FieldPanel("objective"), FieldPanel("title"), FieldPanel("description"),
        FieldPanel("responsible"),
        FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on"), FieldPanel("status")]),
        # The chooser lists what an officer may link (rules.linkable_events), not every event.
        FieldPanel("events", widget=MultipleChooser(
            Event, chooser_url_name="eventos_vinculables:choose", choose_label=_("Elegir eventos"))),
        MultiFieldPanel([InlinePanel("follow_ups", label=_("Seguimiento"))],
                        heading=_("Seguimiento"),
                        help_text=_("Cada avance con su fecha y evidencia. Si indica un nuevo "
                                    "estatus, la línea de acción lo toma.")),
    ]

    class Meta:
        ordering = ["objective__agenda", "objective__sort_order", "ends_on", "pk"]
        verbose_name = _("línea de acción")
        verbose_name_plural = _("líneas de acción")

    def __str__(self) -> str:
        return self.title

    def is_in_scope_of(self, user) -> bool:
        if self.objective_id is None:
            return bool(rules.is_coordinator(user))
        return bool(rules.can_edit_region_agenda(user, self.objective.agenda.region_id))

    @property
    def campaigns_display(self) -> str:
        """Campaigns that serve this line (the link lives on the campaign)."""
        related = getattr(self, "campaigns", None)
        return ", ".join(c.name for c in related.all()) if related is not None else ""

    @property
    def responsible_display(self) -> str:
        return ", ".join(i.acronym for i in self.responsible.all())

    def clean(self) -> None:
        super().clean()
        self.title = (self.title or "").strip()
        validate_date_range(self.starts_on, self.ends_on, start_field="starts_on",
                            end_field="ends_on",
                            message=_("La fecha compromiso no puede ser anterior al inicio."))


class FollowUp(Orderable):
    """One follow-up of a line of action: a dated progress note, maybe a new status, evidence."""

    line = ParentalKey(ActionLine, on_delete=models.CASCADE, related_name="follow_ups")
    date = models.DateField(_("fecha"), default=timezone.localdate)
    note = models.TextField(_("avance"))
    new_status = models.CharField(_("nuevo estatus"), max_length=20,
                                  choices=ActionLineStatus.choices, blank=True)
    evidence_document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("evidencia (documento)"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+")
    evidence_url = models.URLField(_("evidencia (enlace)"), blank=True)

    panels = [
        FieldRowPanel([FieldPanel("date"), FieldPanel("new_status")]),
        FieldPanel("note"),
        FieldRowPanel([FieldPanel("evidence_document"), FieldPanel("evidence_url")]),
    ]

    class Meta(Orderable.Meta):
        ordering = ["date", "sort_order", "pk"]
        verbose_name = _("seguimiento")
        verbose_name_plural = _("seguimientos")

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} — {self.note[:60]}"

    def clean(self) -> None:
        super().clean()
        if self.date and self.date > timezone.localdate():
            raise ValidationError({"date": _("El seguimiento no puede tener fecha futura.")})
        if self.evidence_document_id:
            from ..domain.images import public_documents

            if not public_documents().filter(pk=self.evidence_document_id).exists():
                raise ValidationError({"evidence_document": _(
                    "Ese documento es de una colección restringida y la evidencia es pública: "
                    "elija un documento público.")})
