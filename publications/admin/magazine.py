"""Admin: magazine — the "Publicaciones" menu, authors and sections, and the publishing rules
of issues (refuse with the list of unapproved articles; append new articles to the TOC).

Other concerns add their own entries to the "Publicaciones" menu with the hook
``register_publications_menu_item`` (return a ``wagtail.admin.menu.MenuItem``), or by giving
a viewset ``menu_hook = PUBLICATIONS_MENU_HOOK``.
"""

from __future__ import annotations

from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import chooser as snippet_chooser
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from ..domain.discovery import authors_visible_to
from ..models import ArticlePage, Author, IssuePage, Section

PUBLICATIONS_MENU_HOOK = "register_publications_menu_item"


class _VisibleAuthors:
    def get_object_list(self):
        return authors_visible_to(self.request.user, super().get_object_list())


class _AuthorChosenView(snippet_chooser.SnippetChosenView):
    def get_object(self, pk):
        return authors_visible_to(self.request.user, Author.objects.all()).get(pk=pk)


class _AuthorChosenMultipleView(snippet_chooser.SnippetChosenMultipleView):
    def get_objects(self, pks):
        return authors_visible_to(self.request.user, Author.objects.all()).filter(pk__in=pks)


class AuthorChooserViewSet(snippet_chooser.SnippetChooserViewSet):
    """Outside the section, the chooser names only the authors of published articles."""

    choose_view_class = type("AuthorChooseView", (_VisibleAuthors, snippet_chooser.ChooseView),
                             {})
    choose_results_view_class = type("AuthorChooseResultsView",
                                     (_VisibleAuthors, snippet_chooser.ChooseResultsView), {})
    chosen_view_class = _AuthorChosenView
    chosen_multiple_view_class = _AuthorChosenMultipleView


class AuthorViewSet(SnippetViewSet):
    model = Author
    chooser_viewset_class = AuthorChooserViewSet
    icon = "user"
    menu_label = _("Autores")
    menu_name = "autores"
    list_display = ["full_name", Column("affiliation_name", label=_("Adscripción")),
                    Column("orcid", label=_("ORCID"))]
    list_filter = ["institution"]
    search_fields = ["given_names", "family_names", "affiliation"]
    ordering = ["family_names", "given_names"]


class SectionViewSet(SnippetViewSet):
    model = Section
    icon = "list-ul"
    menu_label = _("Secciones")
    menu_name = "secciones"
    list_display = ["name", "slug"]
    search_fields = ["name"]


class PublicationsMenu(SnippetViewSetGroup):
    items = (AuthorViewSet, SectionViewSet)
    menu_label = _("Publicaciones")
    menu_name = "publicaciones"
    menu_icon = "doc-full"
    menu_order = 170
    submenu_hook = PUBLICATIONS_MENU_HOOK


register_snippet(PublicationsMenu)


def _is_publish_post(request, page) -> bool:
    """A publish (or schedule) from the editor, or an approval in the editor that ends the
    page's workflow (Wagtail then publishes it)."""
    if request.method != "POST":
        return False
    if "action-publish" in request.POST:
        return True
    if ("action-workflow-action" not in request.POST
            or request.POST.get("workflow-action-name") != "approve"):
        return False
    return _approval_ends_workflow(page.current_workflow_state)


def _approval_ends_workflow(state) -> bool:
    """Whether approving the current task of ``state`` finishes the workflow (no active task
    left after it)."""
    from wagtail.models import Task

    if state is None or state.current_task_state is None:
        return False
    return not (Task.objects.filter(workflow_tasks__workflow=state.workflow, active=True)
                .exclude(task_states__in=state.successful_task_states)
                .exclude(pk=state.current_task_state.task_id).exists())


@hooks.register("before_edit_page")
def refuse_issue_with_unapproved_articles(request, page):
    """Publishing (or scheduling) an issue whose articles are not all approved is refused
    before anything is saved, with their titles."""
    from ..domain.issues import refusal_message, unapproved_articles

    if page.specific_class is not IssuePage or not _is_publish_post(request, page):
        return None
    blocked = unapproved_articles(page.specific)
    if not blocked:
        return None
    messages.error(request, refusal_message(blocked))
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("before_bulk_action")
def refuse_bulk_publish_of_unready_pages(request, action_type, objects, action_class_instance):
    """The explorer's bulk publish follows the editor's rules: no issue with unapproved
    articles, no article or edition the committee has not reviewed (``workflow``)."""
    from ..domain.issues import refusal_message, unapproved_articles
    from .workflow import NOT_REVIEWED, may_publish

    if action_type != "publish":
        return None
    for page in objects:
        refusal = None
        if getattr(page, "specific_class", None) is IssuePage:
            blocked = unapproved_articles(page.specific)
            refusal = refusal_message(blocked) if blocked else None
        elif not may_publish(request.user, page):
            refusal = NOT_REVIEWED
        if refusal:
            messages.error(request, refusal)
            return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


@hooks.register("after_create_page")
def append_new_article_to_toc(request, page):
    from ..domain.issues import append_to_toc

    if isinstance(page, ArticlePage) or page.specific_class is ArticlePage:
        append_to_toc(page.specific)
    return None


@hooks.register("after_copy_page")
def repair_toc_of_copied_issue(request, page, new_page):
    from ..domain.issues import repair_copied_toc

    if new_page.specific_class is IssuePage:
        repair_copied_toc(new_page)
    return None
