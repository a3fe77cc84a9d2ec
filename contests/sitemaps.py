"""The archive of awarded works (``contests.domain.archive``) for the site's sitemap."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from contests.domain.archive import archived_entries


class ArchiveSitemap(Sitemap):
    limit = 500

    def items(self):
        return (archived_entries().select_related(None).prefetch_related(None)
                .only("pk", "folio").order_by("pk"))

    def location(self, entry):
        return reverse("contests:archive_item", kwargs={"folio": entry.folio})


SITEMAPS = {"acervo": ArchiveSitemap}
