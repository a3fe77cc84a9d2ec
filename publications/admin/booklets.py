"""Admin: booklets — laws, reforms and series as snippets; the "reforma pendiente" panel."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from ..domain.editions import pending_reforms
from ..models import BookletSeries, Law, Reform
from ..rules import can_watch_booklet_editions


class LawViewSet(SnippetViewSet):
    model = Law
    icon = "doc-full"
    menu_label = _("Leyes")
    list_display = ["short_name", "name", "dof_date", "in_force_date"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    ordering = ["-dof_date", "short_name"]


class ReformViewSet(SnippetViewSet):
    model = Reform
    icon = "edit"
    menu_label = _("Reformas")
    list_display = ["title", "law", "dof_date"]
    list_filter = ["law"]
    search_fields = ["title"]


class BookletSeriesViewSet(SnippetViewSet):
    model = BookletSeries
    icon = "folder-open-inverse"
    menu_label = _("Series de cuadernillos")
    list_display = ["name", "slug"]


class LawsAndBookletsGroup(SnippetViewSetGroup):
    items = (LawViewSet, ReformViewSet, BookletSeriesViewSet)
    menu_icon = "doc-full-inverse"
    menu_label = _("Leyes y cuadernillos")
    menu_name = "leyes-cuadernillos"
    menu_order = 320


register_snippet(LawsAndBookletsGroup)


class PendingReformsPanel(Component):
    """Dashboard panel: booklets whose current edition rests on a replaced or reformed law."""

    name = "pending_reforms"
    order = 140
    template_name = "publications/admin/pending_reforms_panel.html"

    def get_context_data(self, parent_context):
        items = pending_reforms()
        return {"items": items[:30], "more": max(0, len(items) - 30)}


@hooks.register("construct_homepage_panels")
def add_pending_reforms_panel(request, panels):
    if can_watch_booklet_editions(request.user):
        panels.append(PendingReformsPanel())
