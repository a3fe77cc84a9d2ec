"""Contests in the Wagtail admin: a menu of calls, each with its dashboard and tools."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from hub.indicators import INDICATORS_HOOK
from hub.roles import PAGE_OUT_OF_SCOPE_HOOK, PAGES_IN_SCOPE_HOOK
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
# Officers keep their page rights at the root for the site's content pages; Wagtail's page
# permissions are inherited down the tree, so these hooks refuse everyone else every page
# view of a contest series or call: create, edit, publish, unpublish, delete, copy, move, and
# the views without a hook of their own (draft view, revisions, preview, history…, through
# ``hub.middleware.ScopedPageAdminMiddleware``); the explorer, the admin's page search and the
# chooser show them no draft.

def _is_contest_page(page) -> bool:
    return page is not None and page.specific_class is not None and (
        page.specific_class._meta.app_label == "contests")


def _deny_unless_contest_manager(user) -> None:
    from django.core.exceptions import PermissionDenied

    from .rules import may_edit_contest_pages

    if not may_edit_contest_pages(user):
        raise PermissionDenied


@hooks.register("before_create_page")
def _before_create_contest_page(request, parent_page, page_class):
    if page_class._meta.app_label == "contests" or _is_contest_page(parent_page):
        _deny_unless_contest_manager(request.user)


def _before_contest_page_action(request, page, *args, **kwargs):
    if _is_contest_page(page):
        _deny_unless_contest_manager(request.user)


for _hook in ("before_edit_page", "before_copy_page", "before_unpublish_page",
              "before_publish_page"):
    hooks.register(_hook, _before_contest_page_action)
# Ahead of ``keep_calls_with_entries``: someone who may not act on the page is refused first.
hooks.register("before_delete_page", _before_contest_page_action, order=-1)


@hooks.register("before_move_page")
def _before_contest_page_move(request, page, destination):
    if _is_contest_page(page) or _is_contest_page(destination):
        _deny_unless_contest_manager(request.user)


@hooks.register(PAGE_OUT_OF_SCOPE_HOOK)
def _contest_page_out_of_scope(user, page) -> bool:
    from .rules import may_edit_contest_pages

    return _is_contest_page(page) and not may_edit_contest_pages(user)


def _contest_pages():
    from wagtail.models import Page

    return Page.objects.filter(content_type__app_label="contests").values("pk")


@hooks.register(PAGES_IN_SCOPE_HOOK)
def _contest_pages_in_scope(user, pages):
    from .rules import may_edit_contest_pages

    return pages if may_edit_contest_pages(user) else pages.exclude(pk__in=_contest_pages())


@hooks.register("construct_explorer_page_queryset")
def _contest_pages_in_explorer(parent_page, pages, request):
    return _contest_pages_in_scope(request.user, pages)


@hooks.register("construct_page_chooser_queryset")
def _contest_drafts_not_choosable(pages, request):
    """Others may link to a published call, never see a draft's title."""
    from .rules import may_edit_contest_pages

    if may_edit_contest_pages(request.user):
        return pages
    return pages.exclude(pk__in=_contest_pages(), live=False)
