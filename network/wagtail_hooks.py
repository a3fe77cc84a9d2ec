"""The network in the Wagtail admin: snippet viewsets with search, filters and exports."""

import django_filters
from django.db import models
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.fields import register_display_class
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from hub import converters as _ids  # noqa: F401  (registers <dbid:>)
from hub.indicators import INDICATORS_HOOK, Figure, Section, Series
from hub.search import SEARCH_GROUPS_HOOK

from . import indicators, rules, search
from .admin_agendas import ActionLineViewSet, JointAgendaViewSet
from .admin_columns import LocalDateTimeColumn, ValueDisplay, YesNoColumn, YesNoDisplay
from .admin_scope import (
    ContactChoicesForm,
    InstitutionScopedForm,
    InstitutionScopedViewSet,
    LinkableEventChooserViewSet,
    OrganizersScopedForm,
    SafeExportViewSet,
    ScopedChooserViewSet,
    StaffProfileForm,
)
from .domain import roadmaps
from .models import (
    Agreement,
    Ally,
    Commission,
    Event,
    Institution,
    Person,
    Region,
    Roadmap,
    RoadmapTool,
    StaffProfile,
    VideoCapsule,
)
from .views import admin_import, admin_participation, admin_roadmaps


class RegionViewSet(SafeExportViewSet):
    model = Region
    icon = "site"
    list_display = ["name", "order"]
    menu_label = _("Regiones")


class InstitutionViewSet(InstitutionScopedViewSet):
    model = Institution
    icon = "home"
    menu_label = _("Instituciones")
    list_display = [
        "acronym", "name", Column("state", label=_("Entidad"), accessor="get_state_display"),
        "region", YesNoColumn("is_current", label=_("Vigente")),
    ]
    list_filter = ["region", "kind", "state"]
    list_per_page = 50
    list_export = ["acronym", "name", "state", "region", "website", "email", "valid_from",
                   "valid_until"]
    export_filename = "instituciones"


class PersonViewSet(InstitutionScopedViewSet):
    model = Person
    icon = "user"
    menu_label = _("Personas de contacto")
    list_display = ["name", "institution", Column("role", accessor="get_role_display",
                                                  label=_("Función")),
                    YesNoColumn("in_network", label=_("Red")),
                    YesNoColumn("is_public", label=_("Público"))]
    list_filter = ["institution", "role", "in_network", "is_public", "active"]
    list_per_page = 50
    list_export = ["name", "institution", "role", "position", "email", "phone",
                   "telegram_handle", "in_network", "is_public"]
    export_filename = "contactos"
    edit_handler = ObjectList(Person.panels, base_form_class=InstitutionScopedForm)

    def get_queryset(self, request):
        # Each row and exported line names the contact's institution: read it in the same query.
        return super().get_queryset(request).select_related("institution")


class AllyViewSet(SafeExportViewSet):
    model = Ally
    icon = "group"
    menu_label = _("Aliados")
    list_display = ["name", Column("sector", accessor="get_sector_display", label=_("Sector")),
                    Column("state", accessor="get_state_display", label=_("Entidad"))]
    list_filter = ["sector", "state"]
    list_per_page = 50
    list_export = ["name", "sector", "state", "website", "email", "phone"]
    export_filename = "aliados"


class AgreementFilterSet(WagtailFilterSet):
    expired = django_filters.BooleanFilter(label=_("Vencido"), method="filter_expired")

    class Meta:
        model = Agreement
        fields = ["status", "institutions"]

    def filter_expired(self, queryset, name, value):
        if value is None:
            return queryset
        expired = Agreement.objects.expired().values("pk")
        return queryset.filter(pk__in=expired) if value else queryset.exclude(pk__in=expired)


class ExpiryColumn(Column):
    """The expiry date, flagged in red when the agreement is past it and still in force."""

    cell_template_name = "network/admin/expiry_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["expired"] = instance.is_expired
        return context


class RoadmapColumn(Column):
    """Agreements with a municipality: a link to their roadmap, or to start it."""

    cell_template_name = "network/admin/roadmap_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        try:
            context["roadmap"] = instance.roadmap
        except Roadmap.DoesNotExist:
            context["roadmap"] = None
        request = parent_context.get("request")
        context["agreement"] = instance
        context["can_start"] = bool(
            request is not None and not roadmaps.start_refusal(instance)
            and rules.can_start_roadmap(request.user, instance))
        return context


class AgreementViewSet(SafeExportViewSet):
    model = Agreement
    icon = "doc-full"
    menu_label = _("Convenios")
    list_display = ["title", Column("parties_display", label=_("Partes")),
                    ExpiryColumn("valid_until", label=_("Vence")),
                    Column("status", accessor="get_standing_display", label=_("Estatus")),
                    RoadmapColumn("municipality", label=_("Hoja de ruta municipal"))]
    filterset_class = AgreementFilterSet
    # The status people see, from the dates (an expired agreement is "Vencido" here too).
    list_export = ["title", "parties_display", "signed_on", "valid_from", "valid_until",
                   "get_standing_display"]
    export_headings = {"parties_display": _("Partes"), "get_standing_display": _("Estatus")}
    export_filename = "convenios"
    edit_handler = ObjectList(Agreement.panels, base_form_class=ContactChoicesForm)

    def get_queryset(self, request):
        return Agreement.objects.select_related("roadmap").prefetch_related("institutions",
                                                                            "allies")


class CommissionViewSet(SafeExportViewSet):
    model = Commission
    icon = "clipboard-list"
    menu_label = _("Comisiones")
    list_display = ["name", "short_name"]
    search_fields = ["name"]


class EventViewSet(InstitutionScopedViewSet):
    model = Event
    icon = "date"
    menu_label = _("Eventos")
    list_display = ["title", Column("kind", accessor="get_kind_display", label=_("Tipo")),
                    LocalDateTimeColumn("starts_at", label=_("Inicia")), "commission"]
    list_filter = ["kind", "mode", "commission", "organizers", "live"]
    ordering = ["-starts_at"]
    edit_handler = ObjectList(Event.panels, base_form_class=OrganizersScopedForm)

    def get_queryset(self, request):
        # The commission column and each row's scope check (its organizers) in the page's query.
        return super().get_queryset(request).select_related("commission") \
            .prefetch_related("organizers")


class VideoCapsuleViewSet(InstitutionScopedViewSet):
    model = VideoCapsule
    icon = "media"
    menu_label = _("Cápsulas de video")
    list_display = ["title", "institution", "commission", LocalDateTimeColumn("recorded_on",
                                                                           label=_("Fecha"))]
    list_filter = ["institution", "commission", "state", "live"]
    edit_handler = ObjectList(VideoCapsule.panels, base_form_class=InstitutionScopedForm)


class StaffProfileViewSet(SafeExportViewSet):
    model = StaffProfile
    icon = "key"
    menu_label = _("Adscripción de usuarios")
    # Who is assigned where is for Coordinación: its chooser is scoped like the listing.
    chooser_viewset_class = ScopedChooserViewSet
    list_display = ["user", "institution"]
    list_filter = ["institution"]
    edit_handler = ObjectList(StaffProfile.panels, base_form_class=StaffProfileForm)


class RoadmapToolViewSet(SafeExportViewSet):
    """The catalogue of the Modelo Regional de Transparencia Municipal (seed 003)."""

    model = RoadmapTool
    icon = "list-ol"
    menu_label = _("Herramientas del modelo municipal")
    list_display = ["name", Column("dimension", accessor="get_dimension_display",
                                   label=_("Dimensión")),
                    "duration_label", YesNoColumn("active", label=_("Activa"))]
    list_filter = ["dimension", "recurrence", "active"]
    ordering = ["dimension", "order"]


class NetworkGroup(SnippetViewSetGroup):
    items = (InstitutionViewSet, PersonViewSet, EventViewSet, VideoCapsuleViewSet,
             AgreementViewSet, AllyViewSet, CommissionViewSet, RegionViewSet,
             StaffProfileViewSet, RoadmapToolViewSet)
    menu_icon = "globe"
    menu_label = _("Red SNT")
    menu_name = "red"
    menu_order = 200


register_snippet(NetworkGroup)


@hooks.register("register_admin_viewset")
def register_linkable_events_chooser():
    """The events a line of action may link (its form's «Elegir eventos»)."""
    return LinkableEventChooserViewSet("eventos_vinculables", model=Event,
                                       url_prefix="red/eventos-vinculables")
# Booleans in the inspect views read «Sí»/«No», not True/False; the other fields «—» when
# empty, not None, and date-times in Mexico City time (models.Field: the fallback of any field
# without a display class of its own; foreign keys are looked up by their target model).
register_display_class(models.BooleanField, display_class=YesNoDisplay)
register_display_class(models.Field, display_class=ValueDisplay)
register_display_class(models.ForeignKey, to=models.Model, display_class=ValueDisplay)


@hooks.register("register_admin_urls")


def register_import_urls():
    return [
        path("red/importar/", admin_import.upload, name="network_import"),
        path("red/importar/<dbid:batch_id>/", admin_import.preview, name="network_import_preview"),
        path("red/importar/plantilla/<str:kind>.csv", admin_import.template,
             name="network_import_template"),
    ]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return rules.can_manage_network(request.user)


@hooks.register("register_admin_menu_item")


def register_import_menu_item():
    return ImportMenuItem(_("Importar contactos y aliados"), reverse("network_import"),
                          icon_name="upload", order=210)


@hooks.register("construct_homepage_panels")


def add_expired_agreements_panel(request, panels):
    from .admin_panels import ExpiringAgreementsPanel

    if rules.can_manage_network(request.user):
        panels.append(ExpiringAgreementsPanel())


@hooks.register(SEARCH_GROUPS_HOOK)


def search_groups():
    return [search.INSTITUTIONS, search.EVENTS, search.CAPSULES]


@hooks.register("register_admin_urls")


def register_roadmap_urls():
    return [
        path("red/hojas-de-ruta/", admin_roadmaps.index, name="network_roadmaps"),
        path("red/hojas-de-ruta/iniciar/<dbid:agreement_id>/", admin_roadmaps.start,
             name="network_roadmap_start"),
        path("red/hojas-de-ruta/<dbid:roadmap_id>/", admin_roadmaps.detail,
             name="network_roadmap_admin"),
        path("red/hojas-de-ruta/hito/<dbid:milestone_id>/", admin_roadmaps.milestone_edit,
             name="network_milestone_edit"),
    ]


class RoadmapsMenuItem(MenuItem):
    def is_shown(self, request):
        return rules.can_view_roadmaps(request.user)


@hooks.register("register_admin_menu_item")


def register_roadmaps_menu_item():
    return RoadmapsMenuItem(_("Hojas de ruta municipales"), reverse("network_roadmaps"),
                            icon_name="list-ol", order=205)


@hooks.register(INDICATORS_HOOK)


def roadmap_indicators(scope):
    from .domain.roadmaps import indicators_section

    return indicators_section(scope)
# Figures for the dashboards and the quarterly report (hub.indicators).
hooks.register(INDICATORS_HOOK, indicators.events_section)
hooks.register(INDICATORS_HOOK, indicators.agreements_section)
# --- Regional joint agendas (seed 004) --------------------------------------------------------


class AgendasGroup(SnippetViewSetGroup):
    items = (JointAgendaViewSet, ActionLineViewSet)
    menu_icon = "list-ul"
    menu_label = _("Agendas regionales")
    menu_name = "agendas"
    menu_order = 205


register_snippet(AgendasGroup)


@hooks.register(INDICATORS_HOOK)


def agenda_indicators(scope):
    """Lines of action of the period's year, by status, for the scope's region or institution."""
    from .domain.agendas import lines_by_status
    from .enums import ActionLineStatus
    from .models import ActionLine

    lines = ActionLine.objects.filter(objective__agenda__year=scope.period.year)
    if scope.region_id is not None:
        lines = lines.filter(objective__agenda__region_id=scope.region_id)
    if scope.institution_id is not None:
        lines = lines.filter(responsible=scope.institution_id)
    rows = lines_by_status(lines)
    total = sum(n for _label, n in rows)
    done = lines.filter(status=ActionLineStatus.DONE).count()
    return Section(
        key="agendas", order=60,
        title=_("Agendas regionales conjuntas"),
        figures=[Figure(_("Líneas de acción del año"), total),
                 Figure(_("Líneas de acción cumplidas"), done)],
        series=[Series(_("Líneas de acción por estatus"), rows)],
        summary=_("%(done)s de %(total)s líneas de acción de las agendas regionales de "
                  "%(year)s se han cumplido.") % {"done": done, "total": total,
                                                   "year": scope.period.year},
    )
# --- Participation: attendance screen, its button on events, the indicators ------------------


@hooks.register("register_admin_urls")


def register_participation_urls():
    return [path("red/eventos/<dbid:event_id>/asistencia/", admin_participation.attendance,
                 name="network_attendance")]


@hooks.register("register_snippet_listing_buttons")


def attendance_button(snippet, user, next_url=None):
    if isinstance(snippet, Event) and rules.can_manage_registrations(user, snippet):
        yield Button(_("Registro y asistencia"),
                     reverse("network_attendance", args=[snippet.pk]), icon_name="group",
                     priority=60)


@hooks.register(INDICATORS_HOOK)


def participation_indicators(scope):
    from .domain.participation_indicators import participation_section

    return participation_section(scope)
