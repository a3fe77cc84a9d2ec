"""Wagtail hooks of publications: each concern registers its own in ``publications.admin``."""

from wagtail import hooks

from hub.search import SEARCH_GROUPS_HOOK

from . import search
from .admin import booklets, files, magazine, stats, workflow  # noqa: F401


@hooks.register(SEARCH_GROUPS_HOOK)
def search_groups():
    return [search.ARTICLES, search.BOOKLETS]
