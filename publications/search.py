"""Search of articles and booklet editions, in Spanish, with or without accents.

On PostgreSQL the site's search backend uses the ``spanish`` text-search configuration
(``WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"]``): stemming and Spanish stop words. That
configuration keeps accents, so a reader typing «informacion» would miss «información»; every
article and edition therefore also indexes an accent-free copy of its words
(``search_text_unaccented``). SQLite's FTS5 already folds accents. The site search
(``/buscar/``) shows these results grouped as «Artículos» and «Cuadernillos».
"""

from __future__ import annotations

from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from hub.search import SearchGroup, unaccent


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


ARTICLES = SearchGroup(key="articulos", title=_("Artículos"), order=70, find=None, hit=None,
                       page_types=("publications.ArticlePage",))
BOOKLETS = SearchGroup(key="cuadernillos", title=_("Cuadernillos"), order=80, find=None, hit=None,
                       page_types=("publications.EditionPage",))
