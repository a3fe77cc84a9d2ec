"""The iCalendar feed: valid, bounded, filterable, and cheap for calendar apps that poll it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar, vDatetime, vText

from network import ical
from network.enums import EventKind
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def feed(client, query: str = "", **headers):
    return client.get(f"/calendario.ics{query}", **headers)


def vevents(response) -> dict[str, object]:
    calendar = Calendar.from_ical(response.content)
    return {str(event["summary"]): event for event in calendar.walk("VEVENT")}


def test_feed_parses_back_with_text_escaped_and_long_lines_folded(client, infoem, itei):
    title = "Foro: datos, transparencia; y \\ más — «acceso» a la información pública"
    summary = "Línea uno, con acentos: áéíóú ñ.\nLínea dos; " + "información " * 12
    start = timezone.now() + dt.timedelta(days=2)
    saved = EventFactory(title=title, summary=summary, starts_at=start, organizers=[infoem, itei],
                         venue="Auditorio, planta baja", state="MEX",
                         registration_url="https://example.org/registro?a=1,b=2")
    saved.refresh_from_db()  # as stored (line breaks in a one-line field become spaces)
    response = feed(client)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert all(len(line) <= 75 for line in response.content.split(b"\r\n"))
    event = vevents(response)[title]
    description = str(event["description"])
    assert description.startswith(saved.summary + "\n")
    assert "Organiza: INFOEM, ITEI" in description or "Organiza: ITEI, INFOEM" in description
    assert "Registro: https://example.org/registro?a=1,b=2" in description
    assert str(event["location"]) == "Auditorio, planta baja, Estado de México"
    assert event["dtstart"].dt == start.replace(microsecond=0)
    assert event["dtend"].dt == start.replace(microsecond=0) + dt.timedelta(hours=2)
    assert str(event["url"]).endswith("/calendario/" + str(event["url"]).rsplit("/", 2)[-2] + "/")
    assert [str(c) for c in event["categories"].cats] == ["Conversatorio"]


def test_feed_starts_90_days_back_unless_asked_from_another_day(client):
    now = timezone.now()
    EventFactory(title="Hace 100 días", starts_at=now - dt.timedelta(days=100))
    EventFactory(title="Hace 80 días", starts_at=now - dt.timedelta(days=80))
    EventFactory(title="Mañana", starts_at=now + dt.timedelta(days=1))
    assert set(vevents(feed(client))) == {"Hace 80 días", "Mañana"}
    since = (timezone.localdate() - dt.timedelta(days=120)).isoformat()
    assert set(vevents(feed(client, f"?desde={since}"))) == {"Hace 100 días", "Hace 80 días",
                                                              "Mañana"}
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    assert set(vevents(feed(client, f"?desde={tomorrow}"))) <= {"Mañana"}


def test_feed_filters_by_institution_region_and_kind(client, infoem, itei):
    EventFactory(title="Foro INFOEM", kind=EventKind.FORUM, organizers=[infoem])
    EventFactory(title="Capacitación ITEI", kind=EventKind.TRAINING, organizers=[itei])
    EventFactory(title="Conjunto", kind=EventKind.FORUM, organizers=[infoem, itei])
    assert set(vevents(feed(client, "?institucion=itei"))) == {"Capacitación ITEI", "Conjunto"}
    assert set(vevents(feed(client, "?region=centro"))) == {"Foro INFOEM", "Conjunto"}
    assert set(vevents(feed(client, "?tipo=foro"))) == {"Foro INFOEM", "Conjunto"}


@pytest.mark.parametrize("query, message", [
    ("?desde=2026-13-01", "AAAA-MM-DD"),
    ("?desde=ayer", "AAAA-MM-DD"),
    ("?desde=0001-01-01", "El calendario abarca"),
    ("?institucion=no-existe", "No existe una institución"),
    ("?region=atlantida", "No existe una región"),
    ("?tipo=fiesta", "Ese tipo de evento no existe"),
])
def test_bad_feed_parameters_are_a_400_in_spanish(client, query, message):
    response = feed(client, query)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "ETag" not in response


def test_a_poll_with_a_current_copy_is_a_304_from_two_small_queries(client, infoem):
    EventFactory(title="Foro", organizers=[infoem])
    first = feed(client)
    assert first["ETag"] and first["Last-Modified"]
    with CaptureQueriesContext(connection) as ctx:
        again = feed(client, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"]
    assert len(ctx.captured_queries) == 2  # the two aggregates; no event row read
    assert feed(client, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304


def test_a_changed_feed_is_built_once_then_served_from_the_cache(client, infoem):
    EventFactory(title="Foro", organizers=[infoem])
    built = feed(client)
    with CaptureQueriesContext(connection) as ctx:
        cached = feed(client)
    assert cached.content == built.content
    assert len(ctx.captured_queries) == 2


def test_subscribers_see_edits_new_and_unpublished_events(client, infoem):
    event = EventFactory(title="Foro", organizers=[infoem])
    other = EventFactory(title="Taller", organizers=[infoem])
    etag = feed(client)["ETag"]

    event.title = "Foro regional"
    event.save()
    response = feed(client, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and "Foro regional" in vevents(response)
    etag = response["ETag"]

    EventFactory(title="Conversatorio nuevo")
    response = feed(client, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and "Conversatorio nuevo" in vevents(response)
    etag, last_modified = response["ETag"], response["Last-Modified"]

    other.unpublish()
    response = feed(client, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and "Taller" not in vevents(response)
    assert feed(client, HTTP_IF_MODIFIED_SINCE=last_modified).status_code in (200, 304)


def test_renaming_an_organizer_changes_the_feed(client, infoem):
    EventFactory(title="Foro", organizers=[infoem])
    etag = feed(client)["ETag"]
    infoem.acronym = "INFOEMEX"
    infoem.save()
    response = feed(client, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert "Organiza: INFOEMEX" in str(vevents(response)["Foro"]["description"])


def test_registration_disappears_and_the_etag_changes_once_the_event_is_over():
    start = timezone.now() + dt.timedelta(hours=1)
    EventFactory(title="Taller", starts_at=start, ends_at=start + dt.timedelta(hours=1),
                 registration_url="https://example.org/registro")
    filters = ical.FeedFilters(since=timezone.localdate() - dt.timedelta(days=90))
    later = start + dt.timedelta(hours=3)
    assert b"Registro:" in ical.render(filters).replace(b"\r\n ", b"")
    assert b"Registro:" not in ical.render(filters, now=later).replace(b"\r\n ", b"")
    assert ical.validator(filters).etag != ical.validator(filters, now=later).etag


def test_the_feed_is_bounded(client, monkeypatch):
    monkeypatch.setattr(ical, "MAX_EVENTS", 3)
    for n in range(5):
        EventFactory(title=f"Evento {n}", starts_at=timezone.now() + dt.timedelta(days=n + 1))
    assert set(vevents(feed(client))) == {"Evento 0", "Evento 1", "Evento 2"}


def test_feed_follows_the_language(client, infoem):
    EventFactory(title="Foro", kind=EventKind.FORUM, organizers=[infoem])
    spanish = feed(client)
    client.cookies["django_language"] = "en"
    english = feed(client)
    assert spanish["ETag"] != english["ETag"]
    assert "Organiza:" in str(vevents(spanish)["Foro"]["description"])


# --- The hand-written RFC 5545 writer against the icalendar library ------------------------

ODD_TEXTS = [
    "", "Foro", "coma, punto y coma; barra \\ invertida", "línea uno\nlínea dos\r\nfin",
    "ñ" * 80, "x" * 74 + "é" + "y" * 200, "Celebración 🎉 " * 20, "tab\tdentro",
]


@pytest.mark.parametrize("value", ODD_TEXTS)
def test_text_is_escaped_as_the_icalendar_library_escapes_it(value):
    assert ical.text(value) == vText(value).to_ical().decode()


def test_control_characters_are_dropped_from_text():
    assert ical.text("a\x00b\x07c\x1bd\x7fe\rf") == "abcdef"


@pytest.mark.parametrize("value", [
    dt.datetime(2026, 3, 5, 7, 8, 9, 123456, tzinfo=dt.UTC),
    dt.datetime(2026, 12, 31, 23, 30, tzinfo=ical.MX),  # already the next day in UTC
    dt.datetime(2027, 1, 1, 0, 15, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30))),
    dt.datetime(999, 1, 2, 3, 4, 5, tzinfo=dt.UTC),  # four digits, as RFC 5545 wants
    dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=dt.UTC),
])
def test_date_times_are_written_in_utc_as_the_icalendar_library_writes_them(value):
    expected = vDatetime(value.astimezone(dt.UTC)).to_ical().decode()
    assert ical.utc(value) == expected
    # SQLite's rows are naive date-times in UTC: the same instant, the same text.
    assert ical.utc(value.astimezone(dt.UTC).replace(tzinfo=None)) == expected


@pytest.mark.parametrize("value", ODD_TEXTS)
def test_folding_keeps_lines_within_75_octets_and_characters_whole(value):
    line = "DESCRIPTION:" + ical.text(value)
    folded = ical.fold(line)
    physical = folded.split(b"\r\n")
    assert all(len(p) <= 75 for p in physical)
    assert all(p.startswith(b" ") for p in physical[1:])
    for p in physical:
        p.decode()  # no character split between two lines
    assert folded.replace(b"\r\n ", b"") == line.encode()
    calendar = Calendar.from_ical(b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n" + folded
                                  + b"\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    [event] = calendar.walk("VEVENT")
    assert str(event["description"]) == value.replace("\r\n", "\n")


def reference_feed(events, now) -> bytes:
    """The feed as the icalendar library wrote it from model instances (the first version),
    with today's rules: DTSTAMP is the event's last change, *Registro* only until it is over."""
    from django.conf import settings
    from icalendar import Event as ICalEvent

    calendar = Calendar()
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    for event in events:
        item = ICalEvent()
        item.add("uid", f"evento-{event.pk}@enlace-snt")
        item.add("summary", event.title)
        item.add("dtstart", event.starts_at)
        item.add("dtend", event.ends_at or event.starts_at + dt.timedelta(hours=1))
        item.add("dtstamp", event.updated_at)
        item.add("url", base + event.get_absolute_url())
        where = ", ".join(p for p in (event.venue, event.get_state_display()) if p)
        if event.online_url:
            where = f"{where} — {event.online_url}" if where else event.online_url
        if where:
            item.add("location", where)
        organizers = ", ".join(o.acronym for o in event.organizers.all())
        over = (event.ends_at or event.starts_at) < now
        description = "\n".join(p for p in (
            event.summary, organizers and f"Organiza: {organizers}",
            event.registration_url and not over and f"Registro: {event.registration_url}",
        ) if p)
        if description:
            item.add("description", description)
        item.add("categories", [event.get_kind_display()])
        calendar.add_component(item)
    return calendar.to_ical()


def components(body: bytes) -> dict[str, dict[str, object]]:
    found = {}
    for event in Calendar.from_ical(body).walk("VEVENT"):
        found[str(event["uid"])] = {
            "summary": str(event["summary"]),
            "dtstart": event["dtstart"].dt, "dtend": event["dtend"].dt,
            "dtstamp": event["dtstamp"].dt.replace(microsecond=0),
            "url": str(event["url"]), "location": str(event.get("location", "")),
            "description": str(event.get("description", "")),
            "categories": [str(c) for c in event["categories"].cats],
        }
    return found


def test_every_event_of_the_feed_reads_as_the_icalendar_library_wrote_it(infoem, itei):
    now = timezone.now().replace(microsecond=0)
    for n, text_value in enumerate(ODD_TEXTS):
        EventFactory(
            title=f"Evento {n}: {text_value.splitlines()[0] if text_value else 'sin texto'}"[:255],
            summary=text_value[:300], kind=list(EventKind.values)[n % len(EventKind.values)],
            starts_at=now + dt.timedelta(days=n - 3, minutes=7 * n),
            ends_at=None if n % 3 == 0 else now + dt.timedelta(days=n - 3, hours=2),
            venue="Sala 1, edificio B; planta baja" if n % 2 else "",
            state="JAL" if n % 4 else "", online_url="https://example.org/en-linea" if n % 2 else "",
            registration_url="https://example.org/registro?a=1,b=2" if n % 3 else "",
            organizers=[infoem, itei][: n % 3],
        )
    filters = ical.FeedFilters(since=timezone.localdate() - dt.timedelta(days=90))
    body = ical.render(filters, now=now)
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    assert b"X-WR-TIMEZONE:America/Mexico_City\r\n" in body
    from network.models import Event

    events = Event.objects.public().order_by("starts_at", "pk")
    ours, theirs = components(body), components(reference_feed(events, now))
    assert len(ours) == len(ODD_TEXTS)
    assert ours == theirs
    for values in ours.values():  # date-times in UTC, as the subscriber's app converts them
        assert values["dtstart"].utcoffset() == dt.timedelta(0)
