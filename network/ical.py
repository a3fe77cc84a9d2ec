"""The iCalendar feed (RFC 5545) of public events: its validator and its body.

Calendar apps poll a subscribed feed every few minutes, so the feed is built for that:

- ``validator()`` answers, in two small aggregate queries, what the body would be: an ETag
  (a digest of the filters, the language, how many events match, when any event or
  institution last changed, and how many matching events with a registration link are over,
  since that hides their *Registro* line) and a Last-Modified. The view answers ``304`` from
  it, or serves a body cached under it.
- ``render()`` builds the body from plain tuples (``values_list``), one query for the events and
  one for their organizers, with every display label and URL computed once per feed, and
  writes RFC 5545 text directly: escaping, UTC date-times and folding at 75 octets. The
  ``icalendar`` library's per-property objects and line folding were most of the time
  (parsed back with ``icalendar`` in the tests to keep the output valid).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from hub.opendata import moment, plain_rows, plain_values, register_rebuild

from .datasets import organizer_acronyms
from .enums import EventKind, State
from .models import Event, Institution

MX = ZoneInfo(settings.TIME_ZONE)
DEFAULT_DAYS_BACK = 90
MAX_EVENTS = 2000  # the first 2,000 from ?desde= on; filters and ?desde= choose another part
FORMAT = "2"  # bump when the body's layout changes, so cached bodies and ETags are renewed


@dataclass(frozen=True)
class FeedFilters:
    """What a subscriber asked for, already checked (see ``views.public.calendar_ics``)."""

    since: dt.date
    institution: str = ""
    region: str = ""
    kind: str = ""

    def key(self) -> str:
        return "|".join((self.since.isoformat(), self.institution, self.region, self.kind))


@dataclass(frozen=True)
class Validator:
    etag: str  # quoted, strong: the same validator always gives byte-identical bodies
    last_modified: dt.datetime


def default_filters() -> FeedFilters:
    """What a subscription to the plain ``/calendario.ics`` asks for: from 90 days back."""
    return FeedFilters(since=timezone.localdate() - dt.timedelta(days=DEFAULT_DAYS_BACK))


def _since_datetime(filters: FeedFilters) -> dt.datetime:
    return dt.datetime.combine(filters.since, dt.time.min, tzinfo=MX)


def _matching(filters: FeedFilters) -> Q:
    """The events of the feed, as a condition (usable in a filter or inside an aggregate)."""
    since = _since_datetime(filters)
    condition = Q(live=True) & (Q(ends_at__gte=since) | Q(ends_at__isnull=True,
                                                           starts_at__gte=since))
    if filters.kind:
        condition &= Q(kind=filters.kind)
    organizers = Event.organizers.through.objects
    if filters.institution:
        condition &= Q(pk__in=organizers.filter(institution__slug=filters.institution)
                       .values("event_id"))
    if filters.region:
        condition &= Q(pk__in=organizers.filter(institution__region__slug=filters.region)
                       .values("event_id"))
    return condition


def validator(filters: FeedFilters, now: dt.datetime | None = None) -> Validator:
    """Two aggregate queries; no event row is loaded."""
    now = now or timezone.now()
    matching = _matching(filters)
    # Events whose *Registro* line the feed no longer shows because they are over.
    over = (matching & ~Q(registration_url="")
            & (Q(ends_at__lt=now) | Q(ends_at__isnull=True, starts_at__lt=now)))
    events = Event.objects.order_by().aggregate(
        count=Count("pk", filter=matching),
        over=Count("pk", filter=over),
        last_over=Max(Coalesce("ends_at", "starts_at"), filter=over),
        # Every event, published or not: unpublishing one changes what the feed shows.
        changed=Max("updated_at"),
    )
    institutions = Institution.objects.order_by().aggregate(count=Count("pk"),
                                                            changed=Max("updated_at"))
    parts = (FORMAT, get_language() or "", filters.key(), min(events["count"], MAX_EVENTS),
             events["count"], events["over"], events["changed"], institutions["count"],
             institutions["changed"])
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=12).hexdigest()
    moments = [m for m in (events["changed"], events["last_over"], institutions["changed"],
                           _since_datetime(filters)) if m is not None]
    last_modified = min(max(moments), now).replace(microsecond=0)
    return Validator(etag=f'"{digest}"', last_modified=last_modified)


# --- RFC 5545 text --------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_PLAIN = re.compile(r"[^\x00-\x1f\x7f\\;,]*\Z")  # nothing to drop or escape: most titles


def text(value: str) -> str:
    """A TEXT value: control characters dropped, line breaks and separators escaped."""
    if _PLAIN.match(value):
        return value
    if "\r" in value:
        value = value.replace("\r\n", "\n")
    return (_CONTROL.sub("", value).replace("\\", "\\\\").replace(";", "\\;")
            .replace(",", "\\,").replace("\n", "\\n"))


def utc(value: dt.datetime) -> str:
    """A UTC DATE-TIME. Naive values are UTC already (SQLite's rows, see ``moment()``)."""
    if value.tzinfo is not None and value.utcoffset():
        value = value.astimezone(dt.UTC)
    if value.year >= 1000:  # one C call; the C library does not pad years below 1000
        return value.strftime("%Y%m%dT%H%M%SZ")
    return (f"{value.year:04d}{value.month:02d}{value.day:02d}"
            f"T{value.hour:02d}{value.minute:02d}{value.second:02d}Z")


def fold(line: str) -> bytes:
    """One content line in UTF-8, folded at 75 octets without splitting a character."""
    data = line.encode()
    if len(data) <= 75:
        return data
    parts, start, limit = [], 0, 75
    while len(data) - start > limit:
        cut = start + limit
        while data[cut] & 0xC0 == 0x80:  # never between the bytes of one character
            cut -= 1
        parts.append(data[start:cut])
        start, limit = cut, 74  # continuation lines begin with a space
    parts.append(data[start:])
    return b"\r\n ".join(parts)


def render(filters: FeedFilters, now: dt.datetime | None = None) -> bytes:
    """The whole feed: two queries (events, their organizers), no model instances."""
    now = now or timezone.now()
    events = Event.objects.filter(_matching(filters)).order_by("starts_at", "pk")
    rows = list(plain_rows(plain_values(
        events, "pk", "slug", "title", "summary", "starts_at", "ends_at", "venue", "state",
        "online_url", "registration_url", "kind", "updated_at")[:MAX_EVENTS]))
    organizers = organizer_acronyms({row[0] for row in rows}) if rows else {}

    # Everything that is the same for every event is computed once.
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    url_pattern = base + reverse("network:event", kwargs={"slug": "__slug__"})
    states = {value: str(label) for value, label in State.choices}
    kinds = {value: text(str(label)) for value, label in EventKind.choices}
    organised_by = _("Organiza: %(o)s")
    registration = _("Registro: %(u)s")
    hour = dt.timedelta(hours=1)

    lines = [
        b"BEGIN:VCALENDAR",
        b"PRODID:-//Enlace SNT//Calendario de la red//ES",
        b"VERSION:2.0",
        b"CALSCALE:GREGORIAN",
        fold("X-WR-CALNAME:" + text(_("Calendario de la Red SNT"))),
        fold("X-WR-TIMEZONE:" + settings.TIME_ZONE),
    ]
    append = lines.append
    seen: dict = {}

    def when(value) -> tuple[bytes, dt.datetime]:
        """A date-time column as its UTC DATE-TIME text and its aware value, each distinct
        value converted once (events share start and end times)."""
        try:
            return seen[value]
        except KeyError:
            aware = moment(value)
            seen[value] = found = (utc(aware).encode(), aware)
            return found

    for (pk, slug, title, summary, starts, ends, venue, state, online, register_url, kind,
         updated) in rows:
        dtstart, start = when(starts)
        dtend, end = when(ends) if ends is not None else (utc(start + hour).encode(), start)
        # The ASCII lines in one piece. DTSTAMP: when this event's information last changed,
        # so the body stays the same (and cacheable) until the data changes.
        append(b"BEGIN:VEVENT\r\nUID:evento-%d@enlace-snt\r\nDTSTAMP:%s\r\nDTSTART:%s\r\n"
               b"DTEND:%s" % (pk, when(updated)[0], dtstart, dtend))
        append(fold("SUMMARY:" + text(title)))
        append(fold("URL:" + url_pattern.replace("__slug__", slug)))
        where = ", ".join(p for p in (venue, states.get(state, "")) if p)
        if online:
            where = f"{where} — {online}" if where else online
        if where:
            append(fold("LOCATION:" + text(where)))
        acronyms = organizers.get(pk)
        description = [summary] if summary else []
        if acronyms:
            description.append(organised_by % {"o": ", ".join(acronyms)})
        if register_url and end >= now:
            description.append(registration % {"u": register_url})
        if description:
            append(fold("DESCRIPTION:" + text("\n".join(description))))
        append(("CATEGORIES:" + kinds.get(kind, text(kind))).encode())
        append(b"END:VEVENT")
    append(b"END:VCALENDAR")
    return b"\r\n".join(lines) + b"\r\n"


# --- Kept under its ETag --------------------------------------------------------------------

BODY_SECONDS = 24 * 3600


def _key(found: Validator) -> str:
    return "network:ics:" + found.etag.strip('"')


def cached_body(filters: FeedFilters, found: Validator) -> bytes:
    """The body for ``filters`` whose validator is ``found``: from the cache, or built and
    kept there, only if the data did not change while it was built (a newer body must never
    be kept under an older ETag)."""
    key = _key(found)
    body = cache.get(key)
    if body is None:
        body = render(filters)
        if validator(filters).etag == found.etag:
            cache.set(key, body, BODY_SECONDS)
    return body


def rebuild_default() -> int:
    """The plain feed (no filters), in the active language, built and kept under its current
    ETag unless it is there already: what a worker does after events or institutions change,
    so that calendar apps polling the feed find it in the cache. Returns 1 if it stored it."""
    filters = default_filters()
    found = validator(filters)
    if cache.has_key(_key(found)):
        return 0
    body = render(filters)
    if validator(filters).etag != found.etag:
        return 0  # changed meanwhile: that change asked for its own rebuild
    cache.set(_key(found), body, BODY_SECONDS)
    return 1


# Organizers are a many-to-many of events: relinking them is a change of the event.
register_rebuild("calendario", ("network.Event", "network.Institution"), rebuild_default)
