"""Views: magazine — the citation downloads of an article (the pages themselves are Wagtail's).

Only a live article that is not behind a view restriction can be cited; anything else is a
404, so a draft's metadata never leaks.
"""

from __future__ import annotations

import re
import unicodedata

from django.http import Http404, HttpResponse
from django.urls import path
from django.views.decorators.http import require_safe

from hub import converters as _ids  # noqa: F401  (registers <dbid:>)

from ..citation import bibtex, ris
from ..domain.issues import article_context
from ..models import ArticlePage


def _live_article(pk: int) -> ArticlePage:
    article = ArticlePage.objects.live().public().filter(pk=pk).first()
    if article is None:
        raise Http404
    return article


def _filename(article: ArticlePage, extension: str) -> str:
    """An ASCII file name (slugs may hold accents; a header must not carry them raw)."""
    stem = re.sub(r"[^A-Za-z0-9-]", "", unicodedata.normalize("NFKD", article.slug)
                  .encode("ascii", "ignore").decode())[:80] or f"articulo-{article.pk}"
    return f"{stem}.{extension}"


def _download(content: str, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content.encode("utf-8"), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def article_bibtex(request, pk: int):
    article = _live_article(pk)
    meta = article_context(article, request)["citation"]
    return _download(bibtex(meta), content_type="application/x-bibtex; charset=utf-8",
                     filename=_filename(article, "bib"))


@require_safe
def article_ris(request, pk: int):
    article = _live_article(pk)
    meta = article_context(article, request)["citation"]
    return _download(ris(meta), content_type="application/x-research-info-systems; charset=utf-8",
                     filename=_filename(article, "ris"))


urlpatterns = [
    path("publicaciones/articulos/<dbid:pk>/cita.bib", article_bibtex, name="article_bibtex"),
    path("publicaciones/articulos/<dbid:pk>/cita.ris", article_ris, name="article_ris"),
]
