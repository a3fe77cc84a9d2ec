"""What the site search (/buscar/) finds in the contests: the calls (pages) and the archive of
winning works (public ones only, the names the archive itself shows)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hub.search import Hit, SearchGroup

from .domain.archive import archived_entries, search
from .models import ContestCallPage, ContestSeriesPage


def _winning_work(entry) -> Hit:
    return Hit(entry.title, reverse("contests:archive_item", kwargs={"folio": entry.folio}),
               summary=entry.summary, meta=f"{entry.call.title} · {entry.category.name}")


CALLS = SearchGroup(key="convocatorias", title=_("Convocatorias"), order=50,
                    page_types=(ContestCallPage, ContestSeriesPage), find=None, hit=None)
WINNING_WORKS = SearchGroup(
    key="obras-ganadoras", title=_("Obras ganadoras"), order=60,
    find=lambda q: search(archived_entries().prefetch_related(None), q=q), hit=_winning_work)
