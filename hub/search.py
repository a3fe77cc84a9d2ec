"""The search backend: Wagtail's database backend, fed words only.

Quotes, asterisks, parentheses and the like are the full-text engine's syntax, not what people
mean when they type them into a search box; an unbalanced quote broke SQLite's FTS5 (a 500 on
every admin listing and chooser). Every string query, public or admin, is reduced to its words
before it reaches the engine. ``WAGTAILSEARCH_BACKENDS`` points here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from modelsearch.backends.database import SearchBackend as _database_backend_for
from modelsearch.query import MATCH_NONE

_NOT_A_WORD = re.compile(r"[^\w\s]+")
MAX_QUERY = 200


def normalise_query(raw: str) -> str:
    """The words of what was typed (at most ``MAX_QUERY`` characters), single-spaced."""
    return " ".join(_NOT_A_WORD.sub(" ", raw[:MAX_QUERY]).split())


def SearchBackend(params):  # noqa: N802 (Wagtail looks the backend up by this name)
    backend = _database_backend_for(params)
    engine_search = backend._search

    def _search(query_compiler_class, query, model_or_queryset, **kwargs):
        if isinstance(query, str) and query:
            # Signs alone match nothing (an empty string would give a result set with no model,
            # which the admin's listings cannot render).
            query = normalise_query(query) or MATCH_NONE
        return engine_search(query_compiler_class, query, model_or_queryset, **kwargs)

    backend._search = _search
    return backend


def unaccent(text: str) -> str:
    """«Información» → «Informacion»: PostgreSQL's ``spanish`` configuration keeps accents, so
    searchable models also index an accent-free copy of their words."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# The site search (/buscar/) over everything public, grouped by kind. Each app registers its
# groups with ``@hooks.register(SEARCH_GROUPS_HOOK)`` returning a list of ``SearchGroup``; the view
# never imports an app to search it.
SEARCH_GROUPS_HOOK = "enlace_search_groups"


@dataclass(frozen=True)
class Hit:
    title: str
    url: str
    summary: str = ""
    meta: str = ""


@dataclass(frozen=True)
class SearchGroup:
    key: str  # the ?tipo= filter value (a slug)
    title: str
    find: Callable[[str], Iterable]  # query (already reduced to words) -> results, best first
    hit: Callable[[object], Hit]
    order: int = 100
    page_types: tuple = ()  # page models this group shows, left out of the generic "Páginas"


def search_groups() -> list[SearchGroup]:
    from wagtail import hooks

    found = []
    for fn in hooks.get_hooks(SEARCH_GROUPS_HOOK):
        answer = fn()
        found += answer if isinstance(answer, list | tuple) else [answer]
    return sorted((g for g in found if g is not None), key=lambda g: (g.order, g.key))


def search_in(queryset, query: str):
    """``queryset.search(query)`` for any indexed model, even one whose custom queryset lacks
    Wagtail's search mixin; the results keep the queryset's filters (they must be FilterFields)."""
    from wagtail.search.backends import get_search_backend

    return get_search_backend().search(query, queryset)
