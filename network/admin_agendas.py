"""Joint agendas in the admin: forms and viewsets scoped to the officer's region.

Coordinación edits every region's agendas; an officer (Comunicación) those of their
institution's region. Listings, object views, choosers and choices ask ``network.rules``
(``scope_queryset`` through the querysets' ``in_scope_of``, ``can_act_on`` through the models'
``is_in_scope_of``).
"""

from __future__ import annotations

import django_filters
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import ObjectList, Panel
from wagtail.admin.ui.tables import Column

from . import rules
from .admin_columns import LocalDateTimeColumn, YesNoColumn
from .admin_scope import InstitutionScopedViewSet, scope_choice_fields
from .domain.agendas import status_after
from .models import ActionLine, Event, JointAgenda, Region


class JointAgendaForm(WagtailAdminModelForm):
    """An officer files agendas of their own region only; objectives with lines stay."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self._own_region = None
        if for_user is None or rules.is_coordinator(for_user):
            return
        own = rules.officer_region_id(for_user)
        self._own_region = own or 0
        field = self.fields["region"]
        field.queryset = field.queryset.filter(pk=own) if own else field.queryset.none()
        field.empty_label = None

    def clean(self):
        cleaned = super().clean()
        region = cleaned.get("region")
        if self._own_region is not None and region is not None and region.pk != self._own_region:
            self.add_error("region", _("Solo puede registrar agendas de la región de su institución."))
        return cleaned

    def is_valid(self):
        valid = super().is_valid()
        formset = self.formsets.get("objectives")
        if valid and formset is not None:
            for form in formset.deleted_forms:
                if form.instance.pk and ActionLine.objects.filter(objective=form.instance).exists():
                    self.add_error(None, _("El objetivo «%(title)s» tiene líneas de acción: "
                                           "muévalas o elimínelas antes de quitarlo.")
                                   % {"title": form.instance.title})
                    return False
        return valid


class ActionLineForm(WagtailAdminModelForm):
    """Objectives offered are those of the officer's region; a new follow-up with a status
    changes the line's status."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if for_user is not None and not rules.is_coordinator(for_user):
            scope_choice_fields(self, for_user)
            events = self.fields.get("events")
            if events is not None:
                # Published events, their own institution's, and those already linked: never
                # another institution's unpublished event (the chooser lists the same).
                linked = (self.instance.events.values("pk") if self.instance.pk
                          else Event.objects.none().values("pk"))
                events.queryset = rules.linkable_events(for_user, events.queryset, linked)

    def save(self, commit=True):
        formset = self.formsets.get("follow_ups")
        if formset is not None:
            kept = [f.instance for f in formset.forms
                    if f not in formset.deleted_forms and f.has_changed() and f.instance.pk is None]
            self.instance.status = status_after(self.instance.status, kept)
        return super().save(commit=commit)


class CampaignsPanel(Panel):
    """Read-only: the campaigns that serve this line (they are linked from the campaign)."""

    class BoundPanel(Panel.BoundPanel):
        def render_html(self, parent_context=None):
            names = self.instance.campaigns_display if self.instance.pk else ""
            return format_html(
                "<section class='w-panel'><h2 class='w-panel__heading'>{}</h2>"
                "<p>{}</p><p class='help'>{}</p></section>",
                _("Campañas que la atienden"), names or _("Ninguna todavía."),
                _("Se vinculan desde la campaña (Campañas → editar → líneas de acción)."))


class JointAgendaViewSet(InstitutionScopedViewSet):
    model = JointAgenda
    icon = "list-ul"
    menu_label = _("Agendas conjuntas")
    list_display = ["title", "region", "year", YesNoColumn("is_public", label=_("Pública"))]
    list_filter = ["region", "year", "is_public"]
    list_export = ["title", "region", "year", "starts_on", "ends_on", "is_public"]
    export_filename = "agendas"
    edit_handler = ObjectList(JointAgenda.panels, base_form_class=JointAgendaForm)


class ActionLineFilterSet(WagtailFilterSet):
    region = django_filters.ModelChoiceFilter(
        label=_("Región"), field_name="objective__agenda__region", queryset=Region.objects.all())

    class Meta:
        model = ActionLine
        fields = ["status", "responsible"]


class ActionLineViewSet(InstitutionScopedViewSet):
    model = ActionLine
    icon = "tasks"
    menu_label = _("Líneas de acción")
    list_display = [
        "title", Column("objective", label=_("Objetivo")),
        Column("status", accessor="get_status_display", label=_("Estatus")),
        Column("responsible_display", label=_("Responsables")),
        LocalDateTimeColumn("ends_on", label=_("Compromiso")),
        Column("campaigns_display", label=_("Campañas")),
    ]
    filterset_class = ActionLineFilterSet
    list_export = ["title", "objective", "get_status_display", "responsible_display",
                   "starts_on", "ends_on", "campaigns_display"]
    export_headings = {"get_status_display": _("Estatus"),
                       "responsible_display": _("Responsables"),
                       "campaigns_display": _("Campañas")}
    export_filename = "lineas-de-accion"
    edit_handler = ObjectList([*ActionLine.panels, CampaignsPanel()],
                              base_form_class=ActionLineForm)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(
            "objective__agenda__region").prefetch_related("responsible", "campaigns")
