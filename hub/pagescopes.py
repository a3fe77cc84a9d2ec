"""Sections of the page tree that belong to one role, whatever the page rights at the root.

Communications officers hold page rights at the site's root for the content pages, and
Wagtail's page permissions are inherited down the tree. An app whose pages belong to someone
else (the publications to the editorial committee, the contests to who manages contests)
calls ``guard_section`` once, from its ``wagtail_hooks``: everyone else is refused every page
view of the app's pages (create, edit, publish, unpublish, delete, copy, move), and the views
without a hook of their own (draft view, revisions, preview, history, the admin API; through
``hub.middleware.ScopedPageAdminMiddleware``) as well; the explorer and the admin's page
search list none of them to others, and the chooser offers others only the live ones.
"""

from __future__ import annotations

from collections.abc import Callable

from hub.roles import PAGE_OUT_OF_SCOPE_HOOK, PAGES_IN_SCOPE_HOOK


def guard_section(app_label: str, may_edit: Callable[[object], bool]) -> None:
    """Only users for whom ``may_edit(user)`` is true act on or read the drafts of the pages
    whose type belongs to ``app_label``."""
    from django.core.exceptions import PermissionDenied
    from wagtail import hooks

    def in_section(page) -> bool:
        return page is not None and page.specific_class is not None and (
            page.specific_class._meta.app_label == app_label)

    def deny_unless_editor(user) -> None:
        if not may_edit(user):
            raise PermissionDenied

    def section_pages():
        """Every page of the section, as a subquery a search over pages can filter by
        (search backends filter on ids, not on the content type's app)."""
        from wagtail.models import Page

        return Page.objects.filter(content_type__app_label=app_label)

    def before_create(request, parent_page, page_class):
        if page_class._meta.app_label == app_label or in_section(parent_page):
            deny_unless_editor(request.user)

    def before_action(request, page, *args, **kwargs):
        if in_section(page):
            deny_unless_editor(request.user)

    def before_move(request, page, destination):
        if in_section(page) or in_section(destination):
            deny_unless_editor(request.user)

    def out_of_scope(user, page) -> bool:
        return in_section(page) and not may_edit(user)

    def in_scope(user, pages):
        return pages if may_edit(user) else pages.exclude(pk__in=section_pages().values("pk"))

    def in_explorer(parent_page, pages, request):
        return in_scope(request.user, pages)

    def choosable(pages, request):
        """Others may link to the section's published pages, never see its drafts."""
        if may_edit(request.user):
            return pages
        return pages.exclude(pk__in=section_pages().filter(live=False).values("pk"))

    hooks.register("before_create_page", before_create)
    for name in ("before_edit_page", "before_copy_page", "before_unpublish_page",
                 "before_publish_page"):
        hooks.register(name, before_action)
    # Ahead of an app's own delete hooks (which may answer with a message of their own):
    # someone who may not act on the page is refused first.
    hooks.register("before_delete_page", before_action, order=-1)
    hooks.register("before_move_page", before_move)
    hooks.register(PAGE_OUT_OF_SCOPE_HOOK, out_of_scope)
    hooks.register(PAGES_IN_SCOPE_HOOK, in_scope)
    hooks.register("construct_explorer_page_queryset", in_explorer)
    hooks.register("construct_page_chooser_queryset", choosable)
