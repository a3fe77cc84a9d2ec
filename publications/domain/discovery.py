"""What harvesters, feed readers and open-data users see: live articles and booklet editions.

Only live, public pages; never an author's e-mail. Every function here loads what it needs in a
constant number of queries, whatever the number of pages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Max
from django.utils import timezone
from wagtail.models import Page

from ..models import (
    ArticleAuthor,
    ArticlePage,
    BookletIndexPage,
    BookletPage,
    EditionPage,
    IssuePage,
    MagazinePage,
    PublicationFile,
)
from ..models.common import Licence
from ..models.files import FileStatus

ARTICLES = "articulos"
EDITIONS = "ediciones"
FEED_SIZE = 50


def live_articles():
    return ArticlePage.objects.live().public().filter(alias_of__isnull=True)


def live_editions():
    return EditionPage.objects.live().public().filter(alias_of__isnull=True)


def absolute(url: str | None) -> str | None:
    if url and url.startswith("/"):
        return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url
    return url or None


def ready_files(page_ids) -> dict[tuple[int, str], PublicationFile]:
    """The newest READY file of each page and format."""
    files: dict[tuple[int, str], PublicationFile] = {}
    for f in (PublicationFile.objects.filter(page_id__in=list(page_ids), status=FileStatus.READY)
              .exclude(file="").order_by("page_id", "format", "-version")):
        files.setdefault((f.page_id, f.format), f)
    return files


def parent_path(page: Page) -> str:
    return page.path[:-Page.steplen]


def issues_of(articles) -> dict[str, IssuePage]:
    paths = {parent_path(a) for a in articles}
    return {p.path: p for p in IssuePage.objects.filter(path__in=paths)} if paths else {}


def booklets_of(editions) -> dict[str, BookletPage]:
    paths = {parent_path(e) for e in editions}
    if not paths:
        return {}
    return {p.path: p for p in BookletPage.objects.filter(path__in=paths).select_related("series")}


def authors_of(article: ArticlePage):
    """The article's authors in order (uses the prefetched links)."""
    return [link.author for link in sorted(article.article_authors.all(),
                                           key=lambda link: link.sort_order)]


def authors_visible_to(user, authors):
    """The authors ``user`` may see named in the admin: all of them for who edits the section;
    for anyone else only the authors of live, public articles (a manuscript's people are the
    committee's to know until it is published)."""
    from ..rules import may_edit_section

    if may_edit_section(user):
        return authors
    # On ids (a search over authors filters by id, not across relations).
    return authors.filter(pk__in=ArticleAuthor.objects.filter(
        article__in=live_articles().values("pk")).values("author_id"))


# --- feeds -------------------------------------------------------------------------------------

@dataclass
class FeedItem:
    title: str
    url: str
    summary: str
    published: dt.datetime
    updated: dt.datetime
    creators: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    pdf: PublishedFile | None = None


@dataclass
class PublishedFile:
    url: str
    size: int | None


def feed_items(kind: str) -> list[FeedItem]:
    """The latest ``FEED_SIZE`` articles or editions, newest first."""
    if kind == ARTICLES:
        pages = list(live_articles().exclude(first_published_at=None)
                     .order_by("-first_published_at", "-pk")
                     .prefetch_related("article_authors__author")[:FEED_SIZE])
    else:
        pages = list(live_editions().exclude(first_published_at=None)
                     .order_by("-first_published_at", "-pk")
                     .prefetch_related("laws")[:FEED_SIZE])
    files = ready_files(p.pk for p in pages)
    booklets = booklets_of(pages) if kind == EDITIONS else {}
    items = []
    for page in pages:
        pdf = files.get((page.pk, "pdf"))
        pdf_item = PublishedFile(absolute(pdf.download_path(page.slug)), pdf.size) if pdf else None
        if kind == ARTICLES:
            creators = [a.full_name for a in authors_of(page)]
            summary = page.abstract
            categories = page.keyword_list
            title = page.title + (f": {page.subtitle}" if page.subtitle else "")
        else:
            booklet = booklets.get(parent_path(page))
            creators = []
            summary = page.change_summary
            categories = [law.short_name for law in page.laws.all()]
            if booklet is not None:
                categories.insert(0, booklet.series.name)
            title = page.title
        items.append(FeedItem(
            title=title, url=page.get_full_url(), summary=summary,
            published=page.first_published_at, updated=page.last_published_at or
            page.first_published_at, creators=creators, categories=categories, pdf=pdf_item))
    return items


def _feed_pages(kind: str):
    return live_articles() if kind == ARTICLES else live_editions()


def feed_fingerprint(kind: str) -> tuple[dt.datetime | None, int]:
    """(newest publication time, number of live pages): changes whenever the feed may change."""
    found = _feed_pages(kind).aggregate(newest=Max("last_published_at"), n=Count("pk"))
    newest = found["newest"]
    files = PublicationFile.objects.filter(status=FileStatus.READY).aggregate(
        newest=Max("ready_at"))["newest"]
    if files and (newest is None or files > newest):
        newest = files
    return newest, found["n"]


def feed_last_modified(kind: str) -> dt.datetime | None:
    return feed_fingerprint(kind)[0]


def section_url(kind: str) -> str:
    model = MagazinePage if kind == ARTICLES else BookletIndexPage
    page = model.objects.live().first()
    if page is not None:
        return page.get_full_url()
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/"


# --- open data ---------------------------------------------------------------------------------

def article_rows():
    """One row per live article (see ``publications.datasets``)."""
    articles = list(live_articles().select_related("section", "locale")
                    .prefetch_related("article_authors__author__institution")
                    .order_by("path"))
    issues = issues_of(articles)
    files = ready_files(a.pk for a in articles)
    for a in articles:
        issue = issues.get(parent_path(a))
        authors = authors_of(a)
        pdf = files.get((a.pk, "pdf"))
        published = a.first_published_at
        yield {
            "id": a.pk,
            "titulo": a.title,
            "subtitulo": a.subtitle or None,
            "autores": [au.full_name for au in authors],
            "adscripciones": [au.affiliation_name or "" for au in authors],
            "orcid": [au.orcid or "" for au in authors],
            "seccion": a.section.name if a.section_id else None,
            "numero_titulo": issue.title if issue else None,
            "volumen": issue.volume if issue else None,
            "numero": issue.number if issue else None,
            "fecha": timezone.localtime(published).date().isoformat() if published else None,
            "doi": a.doi or None,
            "licencia": Licence.url(a.licence),
            "palabras_clave": a.keyword_list,
            "resumen": a.abstract,
            "url": a.get_full_url(),
            "pdf_url": absolute(pdf.download_path(a.slug)) if pdf else None,
            "paginas": f"{a.first_page}-{a.last_page}" if a.first_page and a.last_page else None,
        }


def edition_rows():
    """One row per live booklet edition (see ``publications.datasets``)."""
    editions = list(live_editions().select_related("trigger_reform__law", "trigger_law",
                                                   "replaces")
                    .prefetch_related("laws").order_by("path"))
    booklets = booklets_of(editions)
    files = ready_files(e.pk for e in editions)
    current = {}
    for e in editions:
        key = parent_path(e)
        best = current.get(key)
        if best is None or (e.current_to, e.edition_number) > (best.current_to, best.edition_number):
            current[key] = e
    for e in editions:
        booklet = booklets.get(parent_path(e))
        pdf, epub = files.get((e.pk, "pdf")), files.get((e.pk, "epub"))
        if e.trigger_reform_id and e.trigger_reform:
            trigger = str(e.trigger_reform)
        elif e.trigger_law_id and e.trigger_law:
            trigger = e.trigger_law.name
        else:
            trigger = None
        yield {
            "id": e.pk,
            "cuadernillo": booklet.title if booklet else None,
            "serie": booklet.series.name if booklet else None,
            "numero_en_serie": booklet.number if booklet else None,
            "edicion": e.edition_number,
            "tipo": e.get_kind_display(),
            "actualizado_a": e.current_to.isoformat(),
            "vigente": current.get(parent_path(e)) is e,
            "leyes": [law.short_name for law in e.laws.all()],
            "motivo": trigger,
            "sustituye_a": e.replaces.get_full_url() if e.replaces_id and e.replaces
            and e.replaces.live else None,
            "que_cambio": e.change_summary,
            "licencia": Licence.url(e.licence),
            "fecha_publicacion": timezone.localtime(e.first_published_at).isoformat()
            if e.first_published_at else None,
            "url": e.get_full_url(),
            "pdf_url": absolute(pdf.download_path(e.slug)) if pdf else None,
            "epub_url": absolute(epub.download_path(e.slug)) if epub else None,
        }
