"""Public pages of the network: directory, institution, calendar (+ iCal), video capsules."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from functools import cached_property
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import cache_control
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import condition

from hub import sitecache
from network import display, ical
from network.enums import EventKind, State
from network.models import (
    Agreement,
    Commission,
    Event,
    Institution,
    Person,
    Region,
    VideoCapsule,
)
from network.views import participation

MX = ZoneInfo(settings.TIME_ZONE)
DAY_CELL_LIMIT = 3  # events shown in a month-grid day; the rest behind "N más"

# The institution page shows this many of each list, and "Ver todos" when there are more.
SHOWN = {"contacts": 12, "events": 8, "capsules": 6, "agreements": 8}


def directory(request):
    regions = list(Region.objects.all())
    qs = Institution.objects.select_related("region", "logo").order_by("name")
    region = request.GET.get("region", "")
    state = request.GET.get("entidad", "")
    show_all = request.GET.get("historicas") == "1"
    if region:
        qs = qs.filter(region__slug=region)
    if state:
        qs = qs.filter(state=state)
    if not show_all:
        qs = qs.current()
    institutions = qs.in_directory_order()
    return render(request, "network/directory.html", {
        "institutions": institutions,
        "regions": regions,
        "states": State.choices,
        "selected": {"region": region, "entidad": state, "historicas": show_all},
    })


def _first(queryset, n: int) -> tuple[list, bool]:
    """The first ``n`` rows and whether there are more, in one query (``n + 1`` rows read)."""
    rows = list(queryset[: n + 1])
    return rows[:n], len(rows) > n


class _Shown:
    """``_first(queryset, n)`` read when the template first asks for ``rows`` or ``more``."""

    def __init__(self, queryset, n: int):
        self.queryset, self.n = queryset, n

    @cached_property
    def _read(self) -> tuple[list, bool]:
        return _first(self.queryset, self.n)

    @property
    def rows(self) -> list:
        return self._read[0]

    @property
    def more(self) -> bool:
        return self._read[1]


def _public_agreements(institution):
    """What the lists show of an institution's agreements (their parties: ``with_party_names``)."""
    return (Agreement.objects.public().filter(institutions=institution)
            .only("pk", "title", "municipality", "other_parties", "valid_until", "status"))


def institution_detail(request, slug):
    sitecache.pin()  # its side column is kept ({% kept %}): the version first, then the rows
    institution = get_object_or_404(Institution.objects.select_related("region", "logo"),
                                    slug=slug)
    now = timezone.now()
    # Predecessors and successors in one query over the links in either direction, as plain
    # rows (name, acronym and address of the other institution).
    links = (Institution.predecessors.through.objects
             .filter(Q(from_institution=institution) | Q(to_institution=institution))
             .order_by("from_institution__name", "to_institution__name")
             .values_list("from_institution_id", "from_institution__name",
                          "from_institution__acronym", "from_institution__slug",
                          "to_institution__name", "to_institution__acronym",
                          "to_institution__slug"))
    predecessors, successors = [], []
    for from_id, *names in links:
        ours = from_id == institution.pk
        name, acronym, slug = names[3:] if ours else names[:3]
        (predecessors if ours else successors).append({
            "name": name, "acronym": acronym,
            "url": reverse("network:institution", kwargs={"slug": slug})})
    # Read only if the template renders them: the side column is kept per institution
    # (``{% kept %}``; contacts and institutions purge when they change).
    contacts = _Shown(
        Person.objects.public().filter(institution=institution)
        .only("pk", "name", "position", "email", "phone", "telegram_handle", "email_public",
              "phone_public", "telegram_public"), SHOWN["contacts"])
    events, more_events = _first(
        Event.objects.public().upcoming(now).filter(organizers=institution).for_cards(),
        SHOWN["events"])
    capsules, more_capsules = _first(
        VideoCapsule.objects.public().filter(institution=institution).only("pk", "title", "slug"),
        SHOWN["capsules"])
    agreements, more_agreements = _first(_public_agreements(institution), SHOWN["agreements"])
    agreements = display.with_party_names(agreements)
    return render(request, "network/institution.html", {
        "institution": institution,
        "predecessors": predecessors,
        "successors": successors,
        "contacts": contacts,
        "events": events,
        "more_events": more_events,
        "capsules": capsules,
        "more_capsules": more_capsules,
        "agreements": agreements,
        "more_agreements": more_agreements,
    })


def _institution_listing(request, slug, *, queryset, per_page: int, template: str,
                         rows=list):
    institution = get_object_or_404(Institution.objects.only("pk", "name", "acronym", "slug"),
                                    slug=slug)
    page = Paginator(queryset(institution), per_page).get_page(request.GET.get("pagina"))
    return render(request, template, {"institution": institution, "page": page,
                                      "rows": rows(page.object_list)})


def institution_contacts(request, slug):
    """Every public contact of an institution, by pages."""
    return _institution_listing(
        request, slug, per_page=50, template="network/institution_contacts.html",
        queryset=lambda i: Person.objects.public().filter(institution=i).order_by("name", "pk"))


def institution_agreements(request, slug):
    """Every public agreement an institution signed, by pages."""
    return _institution_listing(
        request, slug, per_page=30, template="network/institution_agreements.html",
        queryset=lambda i: _public_agreements(i).order_by("-signed_on", "title", "pk"),
        rows=display.with_party_names)


def _event_filters(request, qs):
    region = request.GET.get("region", "")
    institution = request.GET.get("institucion", "")
    kind = request.GET.get("tipo", "")
    # Subqueries over the organizer links rather than joins + DISTINCT: each event once, and
    # the query stays usable under window functions and aggregates.
    organized = Event.organizers.through.objects
    if region:
        qs = qs.filter(pk__in=organized.filter(institution__region__slug=region)
                       .values("event_id"))
    if institution:
        qs = qs.filter(pk__in=organized.filter(institution__slug=institution).values("event_id"))
    if kind:
        qs = qs.filter(kind=kind)
    return qs, {"region": region, "institucion": institution, "tipo": kind}


# The calendar answers for these years; outside them a date is a typo or a probe.
FIRST_YEAR, LAST_YEAR = 1990, 2200
_MONTH = re.compile(r"^([0-9]{4})-([0-9]{1,2})$", re.ASCII)


class BadDate(ValueError):
    """A date in the query string the calendar cannot show; carries the Spanish message."""


def _parse_month(value: str) -> dt.date:
    """``AAAA-MM`` to the first of that month; empty means this month."""
    if not value:
        return timezone.localdate().replace(day=1)
    match = _MONTH.match(value.strip())
    if not match or not 1 <= int(match[2]) <= 12:
        raise BadDate(_("El mes debe escribirse como AAAA-MM, por ejemplo 2026-11."))
    year = int(match[1])
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise BadDate(_("El calendario abarca de %(first)s a %(last)s.")
                      % {"first": FIRST_YEAR, "last": LAST_YEAR})
    return dt.date(year, int(match[2]), 1)


def _parse_day(value: str) -> dt.date | None:
    """``AAAA-MM-DD``; empty means no day chosen."""
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        raise BadDate(_("El día debe escribirse como AAAA-MM-DD, por ejemplo 2026-11-26.")) \
            from None
    if not value.strip().isascii() or not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise BadDate(_("El calendario abarca de %(first)s a %(last)s.")
                      % {"first": FIRST_YEAR, "last": LAST_YEAR})
    return day


def _month_shift(first: dt.date, delta: int) -> dt.date:
    index = first.year * 12 + first.month - 1 + delta
    return dt.date(index // 12, index % 12 + 1, 1)


class DayEvent(NamedTuple):
    """An event in a cell of the month grid: its title, and its address and link text as
    escaped HTML."""

    title: str
    url: str
    html: str


def _filter_choices():
    """The calendar's region and institution choices as (slug, label) rows, read once per
    process until something public changes or the day does (hub/sitecache.py)."""
    def read():
        return (tuple(Region.objects.values_list("slug", "name")),
                tuple(Institution.objects.current().order_by("acronym")
                      .values_list("slug", "acronym")))

    return sitecache.remember(("calendar-choices", timezone.localdate()), read)


def calendar_view(request):
    try:
        return _calendar(request, month=_parse_month(request.GET.get("mes", "")),
                         day=_parse_day(request.GET.get("dia", "")))
    except BadDate as error:
        return _calendar(request, month=timezone.localdate().replace(day=1), day=None,
                         error=str(error))


def _calendar(request, *, month: dt.date, day: dt.date | None, error: str = ""):
    view = "lista" if request.GET.get("vista") == "lista" else "mes"
    qs, selected = _event_filters(request, Event.objects.public())
    regions, institutions = _filter_choices()
    # What the selects show as chosen: a value that is one of their options (any other shows
    # "Todas"), so the kept selects are keyed on these short lists' values only.
    options = {"region": regions, "institucion": institutions, "tipo": EventKind.choices}
    context = {
        "view": view,
        "selected": selected,
        "shown_filters": {name: value if any(value == o for o, _label in options[name]) else ""
                          for name, value in selected.items()},
        "regions": regions,
        "institutions": institutions,
        "kinds": EventKind.choices,
        "date_error": error,
    }
    if view == "lista":
        if day:
            start = dt.datetime.combine(day, dt.time.min, tzinfo=MX)
            listed = qs.between(start, start + dt.timedelta(days=1)).order_by("starts_at")
        else:
            listed = qs.upcoming()
        listed = listed.for_cards()
        page = Paginator(listed, 30).get_page(request.GET.get("pagina"))
        context.update(page=page, events=page.object_list, day=day)
    else:
        first = month
        start = dt.datetime.combine(first, dt.time.min, tzinfo=MX)
        end = dt.datetime.combine(_month_shift(first, 1), dt.time.min, tzinfo=MX)
        grid = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
        # Only what the grid shows: the first DAY_CELL_LIMIT events of each Mexico City day
        # of the grid, and each day's total, ranked and counted by the database. The day is
        # the stored column starts_on, and both queries read the index that leads with it
        # (starts_on, starts_at, ends_at, live) rather than the rows of a month of events;
        # only the events shown are read whole.
        shown = (qs.between(start, end)
                 .filter(starts_on__gte=grid[0][0], starts_on__lte=grid[-1][-1]))
        totals: dict[dt.date, int] = dict(
            shown.order_by().values("starts_on").annotate(n=Count("pk"))
            .values_list("starts_on", "n"))
        ranked = shown.annotate(
            position=Window(RowNumber(), partition_by=[F("starts_on")],
                            order_by=[F("starts_at").asc(), F("pk").asc()]),
        ).filter(position__lte=DAY_CELL_LIMIT).order_by().values("pk")
        rows = (Event.objects.filter(pk__in=ranked).order_by("starts_at", "pk")
                .values_list("title", "slug", "starts_at", "starts_on"))
        # What the template shows of each event and cell, worked out once here from plain
        # rows: the grid and the phone agenda print the same links, and template tags and
        # filters per event and cell cost more than the query at a few thousand events a month.
        url_head, url_tail = reverse("network:event", kwargs={"slug": "slug"}).rsplit("slug", 1)
        by_day: dict[dt.date, list[DayEvent]] = {}
        for title, slug, starts_at, starts_on in rows:
            local = timezone.localtime(starts_at)
            by_day.setdefault(starts_on, []).append(DayEvent(
                title, escape(f"{url_head}{slug}{url_tail}"),
                f'<time datetime="{local.isoformat()}">{local:%H:%M}</time> {escape(title)}'))
        today = timezone.localdate()
        day_params = request.GET.copy()
        day_params["vista"] = "lista"
        day_params.pop("mes", None)
        day_params.pop("dia", None)
        more_query = escape("?" + day_params.urlencode() + "&dia=")
        more_labels: dict[int, str] = {}
        weekdays: dict[int, str] = {}
        weeks, agenda, rows_html, agenda_html = [], [], [], []
        for week in grid:
            cells = []
            for day in week:
                in_month = day.month == first.month
                more = max(0, totals.get(day, 0) - DAY_CELL_LIMIT)
                cell = {"date": day, "day": day.day, "in_month": in_month,
                        "css": ("" if in_month else "out") + (" today" if day == today else ""),
                        "more": more, "events": by_day.get(day, [])}
                links = cell["events"]
                if more:  # "y N más": the day's whole list
                    cell["more_url"] = mark_safe(f"{more_query}{day.isoformat()}")  # noqa: S308
                    if more not in more_labels:
                        more_labels[more] = escape(ngettext("y %(n)s más", "y %(n)s más",
                                                            more) % {"n": more})
                    cell["more_label"] = more_labels[more]
                # The grid's cell and the phone agenda's day, as HTML of already escaped
                # parts: some 300 template variables a month otherwise.
                rows_html.append(
                    f'<td class="{cell["css"]}"><span class="day">{day.day}</span>'
                    + "".join(f'<a class="ev" href="{e.url}">{e.html}</a>' for e in links)
                    + (f'<a class="more" href="{cell["more_url"]}">{cell["more_label"]}</a>'
                       if more else "")
                    + "</td>")
                if in_month and links:
                    if day.weekday() not in weekdays:
                        weekdays[day.weekday()] = capfirst(date_format(day, "l"))
                    cell["heading"] = format_html(
                        '<time datetime="{}">{} {}</time>', day.isoformat(),
                        weekdays[day.weekday()], date_format(day, "MONTH_DAY_FORMAT"))
                    agenda_html.append(
                        f'<h3>{cell["heading"]}</h3><ul class="plain">'
                        + "".join(f'<li><a href="{e.url}">{e.html}</a></li>' for e in links)
                        + (f'<li><a href="{cell["more_url"]}">{cell["more_label"]}</a></li>'
                           if more else "") + "</ul>")
                    agenda.append(cell)
                cells.append(cell)
            weeks.append(cells)
            rows_html.append("</tr><tr>")
        rows_html.pop()  # the last week's row ends in the template
        # A long event begun before the grid shows in no cell but still makes a month busy.
        has_events = bool(totals) or qs.between(start, end).exists()
        context.update(
            month=first, weeks=weeks, agenda=agenda, has_events=has_events,
            grid_html=mark_safe("".join(rows_html)),  # noqa: S308
            agenda_html=mark_safe("".join(agenda_html)),  # noqa: S308
            prev_month=_month_shift(first, -1).strftime("%Y-%m"),
            next_month=_month_shift(first, 1).strftime("%Y-%m"),
            today=today,
        )
    return render(request, "network/calendar.html", context, status=400 if error else 200)


def event_detail(request, slug):
    event = get_object_or_404(
        Event.objects.public().select_related("commission").prefetch_related("organizers"),
        slug=slug,
    )
    # With Enlace's registration form when it is open (that page is never cached).
    return participation.render_event(request, event)


class BadFeedParameter(ValueError):
    """A feed parameter we cannot honour; carries the Spanish message."""


def _feed_filters(params) -> ical.FeedFilters:
    try:
        since = _parse_day(params.get("desde", ""))
    except BadDate as error:
        raise BadFeedParameter(str(error)) from None
    since = since or ical.default_filters().since
    kind = params.get("tipo", "")
    if kind and kind not in EventKind.values:
        raise BadFeedParameter(_("Ese tipo de evento no existe. Use uno de: %(kinds)s.")
                               % {"kinds": ", ".join(EventKind.values)})
    institution = params.get("institucion", "")
    if institution and not Institution.objects.filter(slug=institution).exists():
        raise BadFeedParameter(_("No existe una institución con ese identificador. Use el de "
                                 "la dirección de su página, p. ej. infoem."))
    region = params.get("region", "")
    if region and not Region.objects.filter(slug=region).exists():
        raise BadFeedParameter(_("No existe una región con ese identificador, p. ej. centro."))
    return ical.FeedFilters(since=since, institution=institution, region=region, kind=kind)


def _feed(request) -> tuple[ical.FeedFilters | None, ical.Validator | None, str]:
    """The filters and validator of this request, computed once (ETag and view share them)."""
    if not hasattr(request, "_enlace_feed"):
        try:
            filters = _feed_filters(request.GET)
            request._enlace_feed = (filters, ical.validator(filters), "")
        except BadFeedParameter as error:
            request._enlace_feed = (None, None, str(error))
    return request._enlace_feed


def _feed_etag(request):
    validator = _feed(request)[1]
    return validator.etag if validator else None


def _feed_last_modified(request):
    validator = _feed(request)[1]
    return validator.last_modified if validator else None


@cache_control(max_age=300, public=True)
@condition(etag_func=_feed_etag, last_modified_func=_feed_last_modified)
def calendar_ics(request):
    """The iCalendar feed of public events from 90 days back (``?desde=``), with the
    calendar's filters. A poll whose ETag still matches costs two aggregate queries and
    answers 304; a changed feed is built once and served from the cache under its ETag."""
    filters, validator, error = _feed(request)
    if error:
        return HttpResponseBadRequest(error, content_type="text/plain; charset=utf-8")
    response = HttpResponse(ical.cached_body(filters, validator), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="calendario-snt.ics"'
    return response


def capsule_list(request):
    qs = VideoCapsule.objects.public().select_related("institution", "commission", "thumbnail")
    state = request.GET.get("entidad", "")
    commission = request.GET.get("comision", "")
    institution = request.GET.get("institucion", "")
    if state:
        qs = qs.filter(state=state)
    if commission:
        qs = qs.filter(commission__slug=commission)
    if institution:
        qs = qs.filter(institution__slug=institution)
    page = Paginator(qs, 24).get_page(request.GET.get("pagina"))
    return render(request, "network/capsules.html", {
        "page": page,
        "capsules": page.object_list,
        "states": State.choices,
        "commissions": Commission.objects.all(),
        "selected": {"entidad": state, "comision": commission, "institucion": institution},
    })


def _public_capsule(slug):
    return get_object_or_404(
        VideoCapsule.objects.public().select_related("institution", "commission", "thumbnail",
                                                     "video_file"),
        slug=slug,
    )


def capsule_detail(request, slug):
    return render(request, "network/capsule.html", {"capsule": _public_capsule(slug)})


@xframe_options_exempt
def capsule_embed(request, slug):
    capsule = _public_capsule(slug)
    return render(request, "network/capsule_embed.html", {"capsule": capsule})

