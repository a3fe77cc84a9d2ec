"""The search backend: Wagtail's database backend, fed words only.

Quotes, asterisks, parentheses and the like are the full-text engine's syntax, not what people
mean when they type them into a search box; an unbalanced quote broke SQLite's FTS5 (a 500 on
every admin listing and chooser). Every string query, public or admin, is reduced to its words
before it reaches the engine. ``WAGTAILSEARCH_BACKENDS`` points here.
"""

from __future__ import annotations

import re

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
