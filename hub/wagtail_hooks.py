from functools import wraps

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from hub import twofactor
from hub.indicators import INDICATORS_HOOK
from network import rules

# Reports that list every institution's history and workflows: Coordinación only. Officers
# would otherwise read other institutions' contacts, posts and moderation notes there.
COORDINATION_REPORTS = {"site_history", "site_history_results", "workflow", "workflow_results",
                        "workflow_tasks", "workflow_tasks_results"}
COORDINATION_REPORT_MENU_ITEMS = {"site-history", "workflows", "workflow-tasks"}


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


# --- Library of good practices: officers act on their own institution's practices ------------

def _practice_in_scope(request, page, *args, **kwargs):
    from hub.practices import may_edit_page

    if not may_edit_page(request.user, page):
        raise PermissionDenied


for _practice_hook in ("before_edit_page", "before_delete_page", "before_copy_page",
                       "before_move_page", "before_publish_page", "before_unpublish_page"):
    hooks.register(_practice_hook, _practice_in_scope)


@hooks.register("construct_explorer_page_queryset")
def _practices_in_explorer(parent_page, pages, request):
    from hub.practices import scope_explorer

    return scope_explorer(parent_page, pages, request.user)


@hooks.register(INDICATORS_HOOK)
def _practice_indicators(scope):
    from hub.practices import practice_indicators

    return practice_indicators(scope)
