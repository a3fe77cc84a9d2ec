"""Contests in the Wagtail admin: a menu of calls, each with its dashboard and tools."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from hub.indicators import INDICATORS_HOOK
from hub.pagescopes import guard_section
from hub.search import SEARCH_GROUPS_HOOK

from . import (  # noqa: F401  (converters registers <dbid:>)
    converters,
    indicators,
    search,
)
from .models import ContestSeriesPage
from .views.admin import dashboard, entries, exports, jury, results


@hooks.register("register_admin_urls")
def register_contest_urls():
    return [
        path("concursos/", dashboard.calls, name="contests_admin_calls"),
        path("concursos/<dbid:call_id>/", dashboard.dashboard, name="contests_admin_dashboard"),
        path("concursos/<dbid:call_id>/participaciones/", entries.entry_list,
             name="contests_admin_entries"),
        path("concursos/<dbid:call_id>/prorroga/", entries.grant_extension,
             name="contests_admin_extension"),
        path("concursos/<dbid:call_id>/jurado/", jury.jury_screen, name="contests_admin_jury"),
        path("concursos/<dbid:call_id>/deliberacion/", results.deliberation,
             name="contests_admin_deliberation"),
        path("concursos/<dbid:call_id>/resultados/", results.results_screen,
             name="contests_admin_results"),
        path("concursos/<dbid:call_id>/bitacora/", results.audit, name="contests_admin_audit"),
        path("concursos/<dbid:call_id>/exportar/<slug:what>.<slug:fmt>", exports.export,
             name="contests_admin_export"),
        path("concursos/participacion/<dbid:pk>/", entries.entry_detail, name="contests_admin_entry"),
        path("concursos/participacion/<dbid:pk>/estado/", entries.entry_status,
             name="contests_admin_entry_status"),
    ]


class ContestsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("contests.see_stats")


@hooks.register("register_admin_menu_item")
def contests_menu_item():
    return ContestsMenuItem(_("Concursos"), reverse("contests_admin_calls"), icon_name="clipboard-list",
                            order=160)


@hooks.register("before_delete_page")
def keep_calls_with_entries(request, page):
    """A call (or a contest holding calls) with entries is never deleted: unpublish it instead."""
    from django.shortcuts import redirect
    from wagtail.admin import messages

    from .models import ContestCallPage, Entry

    specific = page.specific_class
    if specific is None or not issubclass(specific, (ContestCallPage, ContestSeriesPage)):
        return None
    calls = ContestCallPage.objects.descendant_of(page, inclusive=True)
    if Entry.objects.filter(call__in=calls).exists():
        messages.error(request, _("Esta convocatoria tiene participaciones y no puede eliminarse; "
                                  "despublíquela si ya no debe verse."))
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register(SEARCH_GROUPS_HOOK)
def search_groups():
    return [search.CALLS, search.WINNING_WORKS]


# Figures for the dashboards and the quarterly report (hub.indicators).
hooks.register(INDICATORS_HOOK, indicators.calls_section)


# --- The contests' pages belong to those who manage contests -------------------------------
# A series or a call (bases, dates, rubric, prizes): officers' page rights at the root do not
# reach them (hub/pagescopes.py); they may still link to a published call.

def _may_edit_contest_pages(user) -> bool:
    from .rules import may_edit_contest_pages

    return may_edit_contest_pages(user)


guard_section("contests", _may_edit_contest_pages)
