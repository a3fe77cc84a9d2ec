"""The network's public rows for the site's sitemap (``hub.sitemaps``): only what the public
views show (each view's own ``public()`` queryset), with their last change."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from network.models import Event, Institution, Region, VideoCapsule
from network.models.roadmaps import Roadmap


class _RowSitemap(Sitemap):
    """Rows that know their public address (``get_absolute_url``) and their last change
    (``changed``), listed 500 to a sitemap page: each sitemap page and the index run a constant
    number of queries however many rows there are."""

    limit = 500
    changed = "updated_at"

    def lastmod(self, row):
        return getattr(row, self.changed)

    def get_latest_lastmod(self):
        # The index asks this of every section: one aggregate, not every row read.
        return self.items().order_by().aggregate(latest=Max(self.changed))["latest"]


class InstitutionSitemap(_RowSitemap):
    def items(self):
        return Institution.objects.only("pk", "slug", "updated_at").order_by("pk")


class EventSitemap(_RowSitemap):
    def items(self):
        return Event.objects.public().only("pk", "slug", "updated_at").order_by("pk")


class CapsuleSitemap(_RowSitemap):
    changed = "last_published_at"

    def items(self):
        return VideoCapsule.objects.public().only("pk", "slug", "last_published_at").order_by("pk")


class RoadmapSitemap(_RowSitemap):
    def items(self):
        return Roadmap.objects.public().only("pk", "slug", "updated_at").order_by("pk")


class AgendaSitemap(Sitemap):
    """One page per region that has a public joint agenda."""

    limit = 500

    def items(self):
        return (Region.objects.filter(agendas__is_public=True).distinct()
                .only("pk", "slug").order_by("pk"))

    def location(self, region):
        return reverse("network:agenda_region", kwargs={"slug": region.slug})


SITEMAPS = {
    "instituciones": InstitutionSitemap, "eventos": EventSitemap, "capsulas": CapsuleSitemap,
    "agendas": AgendaSitemap, "hojas-de-ruta": RoadmapSitemap,
}
