"""Public pages of the network: directory, institution, calendar (+ iCal), video capsules."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.clickjacking import xframe_options_exempt

from network.enums import EventKind, State
from network.models import Agreement, Commission, Event, Institution, Person, Region, VideoCapsule

MX = ZoneInfo(settings.TIME_ZONE)
DAY_CELL_LIMIT = 3  # events shown in a month-grid day; the rest behind "N más"
_ORGANIZERS = Institution.objects.only("pk", "acronym", "slug")


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


def institution_detail(request, slug):
    institution = get_object_or_404(
        Institution.objects.select_related("region", "logo").prefetch_related(
            "predecessors", "successors"
        ),
        slug=slug,
    )
    now = timezone.now()
    contacts = Person.objects.public().filter(institution=institution)
    events = (Event.objects.public().upcoming(now).filter(organizers=institution)
              .prefetch_related(Prefetch("organizers", queryset=_ORGANIZERS))[:10])
    capsules = VideoCapsule.objects.public().filter(institution=institution).select_related(
        "thumbnail")[:6]
    agreements = (Agreement.objects.public().filter(institutions=institution)
                  .prefetch_related("institutions", "allies")[:20])
    return render(request, "network/institution.html", {
        "institution": institution,
        "contacts": contacts,
        "events": events,
        "capsules": capsules,
        "agreements": agreements,
    })


def _event_filters(request, qs):
    region = request.GET.get("region", "")
    institution = request.GET.get("institucion", "")
    kind = request.GET.get("tipo", "")
    if region:
        qs = qs.filter(organizers__region__slug=region)
    if institution:
        qs = qs.filter(organizers__slug=institution)
    if kind:
        qs = qs.filter(kind=kind)
    if region or institution:
        qs = qs.distinct()
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
    context = {
        "view": view,
        "selected": selected,
        "regions": Region.objects.all(),
        "institutions": Institution.objects.current().only("pk", "acronym", "slug", "name")
        .order_by("acronym"),
        "kinds": EventKind.choices,
        "date_error": error,
    }
    if view == "lista":
        if day:
            start = dt.datetime.combine(day, dt.time.min, tzinfo=MX)
            listed = qs.between(start, start + dt.timedelta(days=1)).order_by("starts_at")
        else:
            listed = qs.upcoming()
        listed = listed.prefetch_related(Prefetch("organizers", queryset=_ORGANIZERS))
        page = Paginator(listed, 30).get_page(request.GET.get("pagina"))
        context.update(page=page, events=page.object_list, day=day)
    else:
        first = month
        start = dt.datetime.combine(first, dt.time.min, tzinfo=MX)
        end = dt.datetime.combine(_month_shift(first, 1), dt.time.min, tzinfo=MX)
        events = list(qs.between(start, end).order_by("starts_at")
                      .only("pk", "title", "slug", "starts_at"))
        by_day: dict[dt.date, list[Event]] = {}
        for event in events:
            by_day.setdefault(event.starts_at.astimezone(MX).date(), []).append(event)
        weeks = [
            [{"date": day, "in_month": day.month == first.month,
              "events": by_day.get(day, [])[:DAY_CELL_LIMIT],
              "more": max(0, len(by_day.get(day, [])) - DAY_CELL_LIMIT)}
             for day in week]
            for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year,
                                                                              first.month)
        ]
        context.update(
            month=first, weeks=weeks, events=events,
            prev_month=_month_shift(first, -1).strftime("%Y-%m"),
            next_month=_month_shift(first, 1).strftime("%Y-%m"),
            today=timezone.localdate(),
        )
    return render(request, "network/calendar.html", context, status=400 if error else 200)


def event_detail(request, slug):
    event = get_object_or_404(
        Event.objects.public().select_related("commission").prefetch_related("organizers"),
        slug=slug,
    )
    return render(request, "network/event.html", {"event": event})


@cache_control(max_age=900, public=True)
def calendar_ics(request):
    """An iCalendar feed (RFC 5545) of public events, with the calendar's filters."""
    from icalendar import Calendar
    from icalendar import Event as ICalEvent

    since = timezone.now() - dt.timedelta(days=180)
    qs = Event.objects.public().filter(starts_at__gte=since).prefetch_related("organizers")
    qs, _selected = _event_filters(request, qs)
    cal = Calendar()
    cal.add("prodid", "-//Enlace SNT//Calendario de la red//ES")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", _("Calendario de la Red SNT"))
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    for event in qs.order_by("starts_at")[:2000]:
        item = ICalEvent()
        item.add("uid", f"evento-{event.pk}@enlace-snt")
        item.add("summary", event.title)
        item.add("dtstart", event.starts_at)
        item.add("dtend", event.ends_at or event.starts_at + dt.timedelta(hours=1))
        item.add("dtstamp", timezone.now())
        item.add("url", base + event.get_absolute_url())
        where = ", ".join(p for p in (event.venue, event.get_state_display()) if p)
        if event.online_url:
            where = f"{where} — {event.online_url}" if where else event.online_url
        if where:
            item.add("location", where)
        organizers = ", ".join(o.acronym for o in event.organizers.all())
        description = "\n".join(p for p in (event.summary, organizers and
                                            _("Organiza: %(o)s") % {"o": organizers},
                                            event.registration_open and
                                            _("Registro: %(u)s") % {"u": event.registration_url})
                                if p)
        if description:
            item.add("description", description)
        item.add("categories", [event.get_kind_display()])
        cal.add_component(item)
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="calendario-snt.ics"'
    return response


def capsule_list(request):
    qs = VideoCapsule.objects.public().select_related("institution", "commission", "thumbnail")
    state = request.GET.get("entidad", "")
    commission = request.GET.get("comision", "")
    if state:
        qs = qs.filter(state=state)
    if commission:
        qs = qs.filter(commission__slug=commission)
    page = Paginator(qs, 24).get_page(request.GET.get("pagina"))
    return render(request, "network/capsules.html", {
        "page": page,
        "capsules": page.object_list,
        "states": State.choices,
        "commissions": Commission.objects.all(),
        "selected": {"entidad": state, "comision": commission},
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

