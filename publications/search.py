"""Search of articles and booklet editions, in Spanish, with or without accents.

On PostgreSQL the site's search backend uses the ``spanish`` text-search configuration
(``WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"]``): stemming and Spanish stop words. That
configuration keeps accents, so a reader typing «informacion» would miss «información»; every
article and edition therefore also indexes an accent-free copy of its words
(``search_text_unaccented``). SQLite's FTS5 already folds accents. The site search
(``/buscar/``) shows these results grouped as «Artículos» and «Cuadernillos».
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

GROUP_SIZE = 10


def unaccent(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _stream_text(value) -> str:
    if not value:
        return ""
    try:
        parts = value.stream_block.get_searchable_content(value)
    except (AttributeError, TypeError, ValueError):
        return ""
    return " ".join(strip_tags(str(p)) for p in parts)


def article_text(article) -> str:
    """Every searchable word of an article, accents removed."""
    authors = []
    if article.pk:
        authors = [f"{link.author.given_names} {link.author.family_names}"
                   for link in article.article_authors.all() if link.author_id]
    return unaccent(" ".join([article.title, article.subtitle, article.abstract, article.keywords,
                              *authors, _stream_text(article.body)]))


def edition_text(edition) -> str:
    """Every searchable word of a booklet edition, accents removed."""
    return unaccent(" ".join([edition.title, edition.change_summary, _stream_text(edition.body)]))


@dataclass
class Group:
    title: str
    results: list


def publication_groups(query: str) -> list[Group]:
    """Live, public articles and editions matching ``query`` (already reduced to words)."""
    from .models import ArticlePage, EditionPage

    groups = []
    for title, model in ((_("Artículos"), ArticlePage), (_("Cuadernillos"), EditionPage)):
        found = list(model.objects.live().public().search(query)[:GROUP_SIZE])
        if found:
            groups.append(Group(str(title), found))
    return groups
