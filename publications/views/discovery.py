"""Views: discovery — the OAI-PMH endpoint and the RSS/Atom feeds of articles and editions.

The protocol itself lives in ``publications.oai``; the feeds' items in
``publications.domain.discovery``. These views only adapt HTTP to them.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.urls import path, reverse
from django.utils import feedgenerator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import condition, require_http_methods

from .. import oai
from ..domain import discovery


@csrf_exempt  # OAI-PMH harvesters POST form-encoded requests; nothing here changes state.
@require_http_methods(["GET", "POST", "HEAD"])
def oai_endpoint(request):
    arguments = request.POST if request.method == "POST" else request.GET
    base_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("publications:oai")
    body = oai.respond(dict(arguments.lists()), base_url)
    response = HttpResponse(body, content_type="text/xml; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


# --- feeds -------------------------------------------------------------------------------------

class _RssWithCreators(feedgenerator.Rss201rev2Feed):
    """RSS 2.0 with one ``dc:creator`` per author (RSS's own ``author`` wants an e-mail).

    Django writes the first author's ``dc:creator`` (``author_name`` without an e-mail); the
    others follow in order."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:dc": "http://purl.org/dc/elements/1.1/"}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name in item.get("creators", [])[1:]:
            handler.addQuickElement("dc:creator", name)


class _AtomWithAuthors(feedgenerator.Atom1Feed):
    """Atom with every author of an entry, in order."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name in item.get("creators", [])[1:]:
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.endElement("author")


class _PublicationFeed(Feed):
    kind = ""

    def items(self):
        return discovery.feed_items(self.kind)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.url

    def item_guid(self, item):
        return item.url

    def item_pubdate(self, item):
        return item.published

    def item_updateddate(self, item):
        return item.updated

    def item_author_name(self, item):
        return item.creators[0] if item.creators else None

    def item_categories(self, item):
        return item.categories

    def item_enclosures(self, item):
        if not item.pdf:
            return []
        return [feedgenerator.Enclosure(item.pdf.url, str(item.pdf.size or 0), "application/pdf")]

    def item_extra_kwargs(self, item):
        return {"creators": item.creators}

    def feed_url(self):
        return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(self.url_name)


class ArticlesRss(_PublicationFeed):
    kind = discovery.ARTICLES
    feed_type = _RssWithCreators
    url_name = "publications:articles_rss"
    title = _("México Transparente: artículos recientes")
    description = _("Los últimos artículos publicados de la revista México Transparente.")

    def link(self):
        return discovery.section_url(self.kind)


class ArticlesAtom(ArticlesRss):
    feed_type = _AtomWithAuthors
    url_name = "publications:articles_atom"
    subtitle = ArticlesRss.description


class EditionsRss(_PublicationFeed):
    kind = discovery.EDITIONS
    feed_type = _RssWithCreators
    url_name = "publications:editions_rss"
    title = _("Los ABC: ediciones recientes de los cuadernillos")
    description = _("Las últimas ediciones publicadas de los cuadernillos Los ABC, con lo que "
                    "cambió en cada una.")

    def link(self):
        return discovery.section_url(self.kind)


class EditionsAtom(EditionsRss):
    feed_type = _AtomWithAuthors
    url_name = "publications:editions_atom"
    subtitle = EditionsRss.description


def _conditional(kind: str, view):
    """ETag and Last-Modified from the newest publication of the feed's kind (one query)."""

    def last_modified(request):
        return discovery.feed_last_modified(kind)

    def etag(request):
        stamp, count = discovery.feed_fingerprint(kind)
        raw = f"{kind}:{stamp.isoformat() if stamp else '-'}:{count}:{request.path}"
        return hashlib.sha256(raw.encode()).hexdigest()[:32]

    wrapped = condition(etag_func=etag, last_modified_func=last_modified)(view)

    def feed_view(request, *args, **kwargs):
        response = wrapped(request, *args, **kwargs)
        response["Cache-Control"] = "public, max-age=300"
        return response

    return feed_view


urlpatterns = [
    path("oai/", oai_endpoint, name="oai"),
    path("revista/feed/rss/", _conditional(discovery.ARTICLES, ArticlesRss()),
         name="articles_rss"),
    path("revista/feed/atom/", _conditional(discovery.ARTICLES, ArticlesAtom()),
         name="articles_atom"),
    path("cuadernillos/feed/rss/", _conditional(discovery.EDITIONS, EditionsRss()),
         name="editions_rss"),
    path("cuadernillos/feed/atom/", _conditional(discovery.EDITIONS, EditionsAtom()),
         name="editions_atom"),
]
