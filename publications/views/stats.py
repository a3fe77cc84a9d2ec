"""Views: reading statistics — the counting pixel and the committee's report (admin)."""

from __future__ import annotations

import base64
import csv
import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hub.safety import spreadsheet_safe

from ..domain import stats
from ..models.stats import ReadingKind

# The smallest transparent GIF (43 bytes).
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
MAX_DAYS = 366
DEFAULT_DAYS = 30


@require_http_methods(["GET", "HEAD"])
def seen(request, page_id: int):
    """The 1×1 image article, issue and edition pages embed: counts one reading.

    Never cached (so the page cache does not swallow readings), never sets a cookie, reads
    nothing from the request but its method and user agent (neither is stored).
    """
    if stats.is_countable(request.method, request.headers.get("User-Agent", "")):
        counted = stats.countable_page_id(page_id)
        if counted is not None:
            stats.count(counted, ReadingKind.VIEW)
    response = HttpResponse(PIXEL, content_type="image/gif")
    response["Cache-Control"] = "no-store, max-age=0"
    response["Referrer-Policy"] = "no-referrer"
    return response


urlpatterns = [
    # Any number: the beacon always answers its image (a huge id counts nothing, test_stats_reading).
    path("publicaciones/visto/<int:page_id>.gif", seen, name="seen"),
]


# --- the committee's report (admin URLs registered in publications.admin.stats) ---------------

def _period(request) -> tuple[dt.date, dt.date, str]:
    """The period asked for in ``desde``/``hasta`` (dd/mm/aaaa or aaaa-mm-dd); an unreadable
    or inverted period falls back to the last 30 days with a message."""
    today = timezone.localdate()
    default = (today - dt.timedelta(days=DEFAULT_DAYS - 1), today)
    raw_start, raw_end = request.GET.get("desde", "").strip(), request.GET.get("hasta", "").strip()
    if not raw_start and not raw_end:
        return *default, ""
    start, end = _date(raw_start) if raw_start else default[0], _date(raw_end) if raw_end else today
    if start is None or end is None:
        return *default, _("No se entendió la fecha. Escríbala como dd/mm/aaaa. "
                           "Se muestran los últimos 30 días.")
    if start > end:
        return *default, _("La fecha inicial es posterior a la final. "
                           "Se muestran los últimos 30 días.")
    if (end - start).days >= MAX_DAYS:
        return *default, _("El periodo no puede pasar de un año. Se muestran los últimos 30 días.")
    return start, end, ""


def _date(raw: str) -> dt.date | None:
    """A date of the readings' era; None for anything else (the year 9999 is readable, but the
    day after its last day, which the counts reach, overflows)."""
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            value = dt.datetime.strptime(raw[:10], fmt).date()  # noqa: DTZ007 (a date only)
        except ValueError:
            continue
        return value if 1900 <= value.year <= 2999 else None
    return None


def _require(request) -> None:
    if not request.user.has_perm("publications.see_reading_stats"):
        raise PermissionDenied


def _chart(days, *, height: int = 120, step: int = 12) -> dict:
    """Bar geometry for the SVG chart (the table beside it carries the same numbers)."""
    peak = max([max(d.views, d.downloads) for d in days] + [1])
    rows = []
    for i, d in enumerate(days):
        views_h = round(height * d.views / peak)
        downloads_h = round(height * d.downloads / peak)
        rows.append({"day": d.day, "views": d.views, "downloads": d.downloads, "x": i * step,
                     "views_h": views_h, "views_y": height - views_h,
                     "downloads_h": downloads_h, "downloads_y": height - downloads_h})
    return {"days": rows, "chart": {"width": max(step * len(days), step), "height": height + 1,
                                    "base": height}}


def report(request):
    _require(request)
    start, end, message = _period(request)
    context = {
        "start": start, "end": end, "message": message, **_chart(stats.per_day(start, end)),
        "issues": stats.per_issue(start, end), "pages": stats.per_page(start, end, limit=50),
        "totals": stats.totals(start, end),
    }
    return TemplateResponse(request, "publications/admin/reading_stats.html", context,
                            status=400 if message else 200)


def report_csv(request, what: str):
    _require(request)
    start, end, _message = _period(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="lecturas-{what}-{start:%Y%m%d}-{end:%Y%m%d}.csv"')
    response.write("\ufeff")
    writer = csv.writer(response)
    if what == "dias":
        writer.writerow([_("Día"), _("Lecturas"), _("Descargas")])
        for d in stats.per_day(start, end):
            writer.writerow([d.day.isoformat(), d.views, d.downloads])
    elif what == "numeros":
        writer.writerow([_("Número"), _("Volumen"), _("Núm."), _("Lecturas (número y artículos)"),
                         _("Descargas (número y artículos)"), _("Lecturas de la página del número"),
                         _("Descargas del PDF del número")])
        for r in stats.per_issue(start, end):
            writer.writerow([spreadsheet_safe(r.issue.title), r.issue.volume, r.issue.number,
                             r.views, r.downloads, r.issue_views, r.issue_downloads])
    elif what == "paginas":
        writer.writerow([_("Página"), _("Dirección"), _("Lecturas"), _("Descargas")])
        for r in stats.per_page(start, end, limit=10_000):
            writer.writerow([spreadsheet_safe(r.page.title), spreadsheet_safe(r.page.url_path),
                             r.views, r.downloads])
    else:
        raise Http404(what)
    return response
