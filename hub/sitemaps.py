"""The site's sitemap (``/sitemap.xml``, an index of one sitemap per section) and robots.txt.

Every public address a search engine or an index such as Latindex should find: the live,
public pages of the site (never a draft, nor a page behind a view restriction), the public
sections that are views, and each app's public rows (``<app>.sitemaps.SITEMAPS``). Addresses
are absolute on the host the request came to (already checked against ``ALLOWED_HOSTS``), not
on the Wagtail Site's configured hostname, which a deployment may leave as ``localhost``.
Anonymous answers are kept by the page cache and purged with it.
"""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe
from wagtail.models import Page

from contests.sitemaps import SITEMAPS as CONTEST_SITEMAPS
from network.sitemaps import SITEMAPS as NETWORK_SITEMAPS

from . import sitecache

# The public sections that are views rather than pages or rows.
SECTIONS = (
    "network:directory", "network:calendar", "network:capsules", "network:agendas",
    "network:roadmaps", "contests:index", "contests:archive", "opendata", "statistics",
    "self_assessment",
)

# Paths no crawler has anything to do in: signed-in areas, forms, the API, the language
# switch, searches and one-time links.
DISALLOWED = (
    "/admin/", "/cuentas/", "/api/", "/jurado/", "/idioma/", "/buscar/", "/amplificar/",
    "/participacion/", "/concursos/perfil/", "/concursos/mis-participaciones/",
    "/concursos/participacion/", "/concursos/convocatoria/", "/concursos/coautoria/",
    "/concursos/archivo/",
)


class PageSitemap(Sitemap):
    """The site's live pages that anyone may see, in tree order, 500 to a sitemap page."""

    limit = 500

    def __init__(self, request):
        self.request = request
        self.site = sitecache.site_for_request(request)

    def items(self):
        if self.site is None:
            return Page.objects.none()
        return (self.site.root_page.get_descendants(inclusive=True).live().public()
                .only("pk", "path", "depth", "url_path", "last_published_at",
                      "latest_revision_created_at")
                .order_by("path"))

    def location(self, page):
        return page.get_url(self.request, current_site=self.site)

    def lastmod(self, page):
        return page.last_published_at or page.latest_revision_created_at

    def get_latest_lastmod(self):
        # For the index: one aggregate, not every page read.
        return self.items().order_by().aggregate(latest=Max("last_published_at"))["latest"]


class SectionSitemap(Sitemap):
    def items(self):
        return list(SECTIONS)

    def location(self, name):
        return reverse(name)


def _sitemaps(request) -> dict:
    return {"paginas": PageSitemap(request), "secciones": SectionSitemap(),
            **{name: cls() for name, cls in {**NETWORK_SITEMAPS, **CONTEST_SITEMAPS}.items()}}


@require_safe
def index(request):
    return sitemap_views.index(request, _sitemaps(request), sitemap_url_name="sitemap_section")


@require_safe
def section(request, section: str):
    return sitemap_views.sitemap(request, _sitemaps(request), section=section)


@require_safe
def robots(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED), "",
             f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
