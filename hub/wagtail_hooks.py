from functools import wraps

from django.core.exceptions import PermissionDenied
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from hub import twofactor
from hub.indicators import INDICATORS_HOOK
from hub.roles import PAGE_OUT_OF_SCOPE_HOOK, PAGES_IN_SCOPE_HOOK
from hub.search import SEARCH_GROUPS_HOOK, SearchGroup
from hub.selfassessment.admin import AssessmentComponentViewSet
from hub.statistics import admin as statistics_admin
from hub.statistics.indicators import statistics_section
from network import rules

# Reports that list every institution's history and workflows: Coordinación only. Officers
# would otherwise read other institutions' contacts, posts and moderation notes there.
# The page types report names, for each type, the page last edited anywhere (another
# institution's draft report included): Coordinación only too.
COORDINATION_REPORTS = {"site_history", "site_history_results", "workflow", "workflow_results",
                        "workflow_tasks", "workflow_tasks_results", "page_types_usage",
                        "page_types_usage_results"}
COORDINATION_REPORT_MENU_ITEMS = {"site-history", "workflows", "workflow-tasks",
                                  "page-types-usage"}


def coordination_only(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not rules.can_manage_network(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.coordination_only = True
    return wrapped


def restrict_coordination_reports() -> None:
    """Wrap Wagtail's report views in place (called while the admin's URLs are built)."""
    from wagtail.admin.urls import reports as report_urls

    for pattern in report_urls.urlpatterns:
        if pattern.name in COORDINATION_REPORTS and not getattr(pattern.callback,
                                                                "coordination_only", False):
            pattern.callback = coordination_only(pattern.callback)


@hooks.register("construct_reports_menu")
def hide_coordination_reports(request, menu_items):
    if not rules.can_manage_network(request.user):
        menu_items[:] = [i for i in menu_items if i.name not in COORDINATION_REPORT_MENU_ITEMS]


@hooks.register("register_admin_urls")
def register_two_factor_urls():
    # Wagtail calls this hook while building its admin URLs, after importing the reports'
    # URL module: the moment to restrict those reports, whatever imported the hooks first.
    restrict_coordination_reports()
    return twofactor.urlpatterns


@hooks.register("register_account_menu_item")
def two_factor_account_item(request):
    return {
        "url": reverse("enlace_2fa_setup"),
        "label": _("Verificación en dos pasos"),
        "help_text": _("Proteja su cuenta con un código de su teléfono."),
    }


@hooks.register(SEARCH_GROUPS_HOOK)
def search_pages():
    """Every public page no other group claims (news, standard pages, the magazine's home…)."""
    return SearchGroup(key="paginas", title=_("Páginas"), order=10, find=None, hit=None)
# The self-assessment's questionnaire and recommendations: Coordinación edits them (hub/roles.py).
register_snippet(AssessmentComponentViewSet)
@hooks.register("register_admin_urls")
def register_dashboard_urls():
    from django.urls import path

    from hub.dashboard import views as dashboard

    return [
        path("tablero/", dashboard.dashboard, name="enlace_dashboard"),
        path("tablero/cifras.csv", dashboard.dashboard_csv, name="enlace_dashboard_csv"),
        path("tablero/informe/", dashboard.generate, name="enlace_dashboard_report"),
    ]


class DashboardMenuItem(MenuItem):
    def is_shown(self, request):
        from hub.dashboard.rules import can_view_dashboard

        return can_view_dashboard(request.user)


@hooks.register("register_admin_menu_item")
def register_dashboard_menu_item():
    return DashboardMenuItem(_("Tablero e informes"), reverse("enlace_dashboard"),
                             icon_name="view", order=150)


@hooks.register("construct_homepage_panels")
def add_dashboard_panel(request, panels):
    from hub.dashboard.panels import DashboardPanel
    from hub.dashboard.rules import can_view_dashboard

    if can_view_dashboard(request.user):
        panels.append(DashboardPanel(request.user))


def _report_out_of_scope(user, page) -> bool:
    from hub.dashboard.rules import can_edit_report
    from hub.models import QuarterlyReportPage

    specific = page.specific_deferred
    return isinstance(specific, QuarterlyReportPage) and not can_edit_report(user, specific)


def guard_quarterly_report(request, page, *args, **kwargs):
    """An officer edits, deletes, moves or unpublishes only their own institution's reports
    (their role's page permissions reach every page)."""
    if _report_out_of_scope(request.user, page):
        raise PermissionDenied


hooks.register(PAGE_OUT_OF_SCOPE_HOOK, _report_out_of_scope)


for _report_hook in ("before_edit_page", "before_delete_page", "before_move_page",
                     "before_unpublish_page"):
    hooks.register(_report_hook, guard_quarterly_report)


@hooks.register("before_bulk_action")
def guard_bulk_actions_on_scoped_pages(request, action_type, objects, action_class_instance):
    """Bulk delete, move, publish or unpublish pass no per-page hook: check every page here."""
    from wagtail.models import Page

    from hub.practices import may_edit_page

    for obj in objects:
        if isinstance(obj, Page) and (_report_out_of_scope(request.user, obj)
                                      or not may_edit_page(request.user, obj)):
            raise PermissionDenied


@hooks.register("before_copy_page")
def refuse_copying_quarterly_reports(request, page):
    """One report per quarter and scope: a copy would be a second one."""
    from django.shortcuts import redirect
    from wagtail.admin import messages

    from hub.models import QuarterlyReportPage

    if isinstance(page.specific_deferred, QuarterlyReportPage):
        messages.error(request, _("Un informe trimestral no se copia: genere el del periodo "
                                  "que necesite desde el tablero."))
        return redirect("wagtailadmin_pages:edit", page.pk)


# Quarterly statistics (seed 004): reports, extra fields, upload screens, indicators.
register_snippet(statistics_admin.StatisticsGroup)
hooks.register("register_admin_urls", statistics_admin.admin_urls)
hooks.register("register_admin_menu_item", statistics_admin.upload_menu_item)
hooks.register(INDICATORS_HOOK, statistics_section)


def _reports_hidden_from(user):
    """Ids of the quarterly reports ``user`` may not edit (none for Coordinación)."""
    from hub.dashboard.rules import is_coordinator, officer_institution_id
    from hub.models import QuarterlyReportPage

    if is_coordinator(user):
        return QuarterlyReportPage.objects.none().values("pk")
    own = officer_institution_id(user)
    reports = QuarterlyReportPage.objects.all()
    if own is not None:
        reports = reports.exclude(institution_id=own)
    return reports.values("pk")


@hooks.register(PAGES_IN_SCOPE_HOOK)
def _reports_in_scope(user, pages):
    return pages.exclude(pk__in=_reports_hidden_from(user))


@hooks.register("construct_explorer_page_queryset")
def hide_other_reports_in_the_explorer(parent_page, pages, request):
    return pages.exclude(pk__in=_reports_hidden_from(request.user))


@hooks.register("construct_page_chooser_queryset")
def hide_other_reports_in_the_chooser(pages, request):
    return pages.exclude(pk__in=_reports_hidden_from(request.user))
# --- Library of good practices: officers act on their own institution's practices ------------

def _practice_in_scope(request, page, *args, **kwargs):
    from hub.practices import may_edit_page

    if not may_edit_page(request.user, page):
        raise PermissionDenied


for _practice_hook in ("before_edit_page", "before_delete_page", "before_copy_page",
                       "before_move_page", "before_publish_page", "before_unpublish_page"):
    hooks.register(_practice_hook, _practice_in_scope)


@hooks.register(PAGE_OUT_OF_SCOPE_HOOK)
def _practice_out_of_scope(user, page):
    from hub.practices import may_edit_page

    return not may_edit_page(user, page)


@hooks.register(PAGES_IN_SCOPE_HOOK)
def _practices_in_scope(user, pages):
    from hub.practices import practices_hidden_from

    return pages.exclude(pk__in=practices_hidden_from(user))


@hooks.register("construct_page_chooser_queryset")
def _practices_in_chooser(pages, request):
    """Others may link to a published practice, never see another institution's draft."""
    from hub.practices import practices_hidden_from

    return pages.exclude(pk__in=practices_hidden_from(request.user).filter(live=False))


@hooks.register("construct_explorer_page_queryset")
def _practices_in_explorer(parent_page, pages, request):
    from hub.practices import scope_explorer

    return scope_explorer(parent_page, pages, request.user)


@hooks.register(INDICATORS_HOOK)
def _practice_indicators(scope):
    from hub.practices import practice_indicators

    return practice_indicators(scope)


@hooks.register("insert_global_admin_css")
def hub_admin_css():
    """Admin styles: the network's dashboard, and listings that fit a phone."""
    return format_html('<link rel="stylesheet" href="{}">', static("hub/css/admin.css"))
