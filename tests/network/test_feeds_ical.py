"""The iCalendar feed: valid, bounded, filterable, and cheap for calendar apps that poll it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar

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
