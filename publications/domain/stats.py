"""Reading statistics: views and downloads per page and day, without cookies or personal data.

How a view is counted (it must survive the anonymous page cache, which answers cached pages
without running our Python): article, issue and edition pages embed a 1×1 GIF,
``/publicaciones/visto/<page id>.gif`` (``{% reading_beacon page %}`` from
``publications_stats``), answered with ``Cache-Control: no-store`` so every reading reaches
the server. Downloads are counted by the download view, which calls ``count(page,
ReadingKind.DOWNLOAD)``. No JavaScript is involved; readers whose browser does not load
images are not counted.

What is stored: the page, the kind, the day in Mexico City and a number. No IP address, no
user agent, no cookie, no session: nothing that tells one reader from another, so readings
are not deduplicated (a reload counts again). Requests from declared robots (user agent
containing one of ``BOT_MARKERS``) and ``HEAD`` requests are not counted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone
from wagtail.models import Page

from ..models import ArticlePage, EditionPage, IssuePage, ReadingCount
from ..models.stats import ReadingKind

BOT_MARKERS = ("bot", "crawl", "spider", "slurp", "archiver", "facebookexternalhit",
               "preview", "fetch", "monitor", "curl", "wget", "python-", "httpclient",
               "headless", "lighthouse", "scrapy", "go-http-client", "java/", "okhttp")
COUNTED_MODELS = (ArticlePage, IssuePage, EditionPage)


def is_countable(method: str, user_agent: str) -> bool:
    """Whether a request of this method and user agent is a person reading (our best guess)."""
    if method.upper() not in ("GET", "POST"):
        return False
    agent = (user_agent or "").lower()
    return bool(agent) and not any(marker in agent for marker in BOT_MARKERS)


def count(page: Page | int, kind: str, *, day: dt.date | None = None) -> None:
    """Add one reading of ``kind`` to ``page`` for ``day`` (today in Mexico City).

    Side effects: one row per page, kind and day in ``ReadingCount``, incremented atomically in
    the database (``UPDATE ... SET count = count + 1``), so concurrent requests never lose a
    count; the first reading of the day inserts the row, and a concurrent insert that loses the
    race falls back to the update.
    """
    kind = ReadingKind(kind)
    page_id = page if isinstance(page, int) else page.pk
    day = day or timezone.localdate()
    match = ReadingCount.objects.filter(page_id=page_id, kind=kind, day=day)
    if match.update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            ReadingCount.objects.create(page_id=page_id, kind=kind, day=day, count=1)
    except IntegrityError:
        match.update(count=F("count") + 1)


def countable_page_id(page_id: int) -> int | None:
    """``page_id`` if it is a live article, issue or edition page (one query), else None."""
    if not 0 < page_id <= 2**31 - 1:
        return None
    found = (Page.objects.live().public().type(*COUNTED_MODELS).filter(pk=page_id)
             .values_list("pk", flat=True).first())
    return found


# --- the committee's report --------------------------------------------------------------------

@dataclass
class DayRow:
    day: dt.date
    views: int
    downloads: int


@dataclass
class IssueRow:
    issue: IssuePage
    views: int
    downloads: int
    issue_views: int
    issue_downloads: int


@dataclass
class PageRow:
    page: Page
    views: int
    downloads: int


def _sums(queryset):
    return queryset.aggregate(
        views=Sum("count", filter=Q(kind=ReadingKind.VIEW), default=0),
        downloads=Sum("count", filter=Q(kind=ReadingKind.DOWNLOAD), default=0))


def per_day(start: dt.date, end: dt.date) -> list[DayRow]:
    """Views and downloads of every publication, per day from ``start`` to ``end`` (inclusive,
    every day listed, zero included)."""
    rows = (ReadingCount.objects.filter(day__gte=start, day__lte=end).values("day")
            .annotate(views=Sum("count", filter=Q(kind=ReadingKind.VIEW), default=0),
                      downloads=Sum("count", filter=Q(kind=ReadingKind.DOWNLOAD), default=0)))
    found = {r["day"]: r for r in rows}
    out = []
    day = start
    while day <= end:
        r = found.get(day, {})
        out.append(DayRow(day, r.get("views", 0), r.get("downloads", 0)))
        day += dt.timedelta(days=1)
    return out


def per_issue(start: dt.date, end: dt.date) -> list[IssueRow]:
    """Per issue: views and downloads of the issue and its articles together, and of the issue
    page and its files alone. Constant number of queries."""
    issues = list(IssuePage.objects.order_by("-volume", "-number"))
    by_path = {i.path: i for i in issues}
    counts = (ReadingCount.objects.filter(day__gte=start, day__lte=end)
              .values("page_id", "page__path", "kind").annotate(total=Sum("count")))
    totals = {i.pk: [0, 0, 0, 0] for i in issues}
    for c in counts:
        path = c["page__path"]
        issue = by_path.get(path) or by_path.get(path[:-Page.steplen])
        if issue is None:
            continue
        slot = 0 if c["kind"] == ReadingKind.VIEW else 1
        totals[issue.pk][slot] += c["total"]
        if issue.path == path:
            totals[issue.pk][slot + 2] += c["total"]
    return [IssueRow(i, *totals[i.pk]) for i in issues]


def per_page(start: dt.date, end: dt.date, *, limit: int = 200) -> list[PageRow]:
    """The most read articles, issues and editions in the period."""
    rows = (ReadingCount.objects.filter(day__gte=start, day__lte=end).values("page_id")
            .annotate(views=Sum("count", filter=Q(kind=ReadingKind.VIEW), default=0),
                      downloads=Sum("count", filter=Q(kind=ReadingKind.DOWNLOAD), default=0))
            .order_by("-views", "-downloads", "page_id")[:limit])
    rows = list(rows)
    pages = Page.objects.in_bulk([r["page_id"] for r in rows])
    return [PageRow(pages[r["page_id"]], r["views"], r["downloads"]) for r in rows
            if r["page_id"] in pages]


def totals(start: dt.date, end: dt.date) -> dict:
    return _sums(ReadingCount.objects.filter(day__gte=start, day__lte=end))
