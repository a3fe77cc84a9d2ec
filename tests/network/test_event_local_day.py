"""Events keep the Mexico City day of their start (``starts_on``) on every write path, and the
month grid places, ranks and counts events by it with a constant number of queries."""

from __future__ import annotations

import datetime as dt
import importlib
import json
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from network.models import Event
from network.views.public import DAY_CELL_LIMIT
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

MX = ZoneInfo("America/Mexico_City")
UTC = dt.UTC
# 23:30 on 10 November in Mexico City is 05:30 on the 11th in UTC.
LATE = dt.datetime(2026, 11, 10, 23, 30, tzinfo=MX)
EARLY_NEXT_DAY = dt.datetime(2026, 11, 11, 0, 15, tzinfo=MX)


def stored_day(event: Event) -> dt.date:
    return Event.objects.values_list("starts_on", flat=True).get(pk=event.pk)


def cells(response) -> dict[dt.date, dict]:
    return {d["date"]: d for week in response.context["weeks"] for d in week}


def test_saved_event_stores_its_mexico_city_day_not_the_utc_one():
    assert LATE.astimezone(UTC).date() == dt.date(2026, 11, 11)
    late = EventFactory(starts_at=LATE.astimezone(UTC))
    early = EventFactory(starts_at=EARLY_NEXT_DAY)
    assert stored_day(late) == dt.date(2026, 11, 10)
    assert stored_day(early) == dt.date(2026, 11, 11)


def test_moving_an_event_across_midnight_moves_its_day_on_every_write_path():
    event = EventFactory(starts_at=LATE, ends_at=None)
    event.starts_at = EARLY_NEXT_DAY
    event.save(update_fields=["starts_at"])
    assert stored_day(event) == dt.date(2026, 11, 11)

    Event.objects.filter(pk=event.pk).update(starts_at=LATE)
    assert stored_day(event) == dt.date(2026, 11, 10)

    Event.objects.filter(pk=event.pk).update(starts_at=F("starts_at") + dt.timedelta(hours=1))
    assert stored_day(event) == dt.date(2026, 11, 11)  # 00:30 local

    event.refresh_from_db()
    event.starts_at = LATE
    Event.objects.bulk_update([event], ["starts_at"])
    assert stored_day(event) == dt.date(2026, 11, 10)


def test_bulk_created_events_get_their_mexico_city_day():
    rows = Event.objects.bulk_create([
        Event(title="Nocturno", slug="nocturno", starts_at=LATE.astimezone(UTC), live=True),
        Event(title="Madrugada", slug="madrugada", starts_at=EARLY_NEXT_DAY, live=True),
    ])
    assert [stored_day(e) for e in rows] == [dt.date(2026, 11, 10), dt.date(2026, 11, 11)]


def test_fixture_events_get_their_mexico_city_day_even_when_the_fixture_says_otherwise(tmp_path):
    fixture = tmp_path / "eventos.json"
    fixture.write_text(json.dumps([{
        "model": "network.event", "pk": 9001,
        "fields": {"title": "De fixture", "slug": "de-fixture", "kind": "conversatorio",
                   "mode": "presencial", "starts_at": "2026-11-11T05:30:00Z",
                   "starts_on": "2026-11-11", "live": True,
                   "updated_at": "2026-11-01T00:00:00Z"},
    }]))
    call_command("loaddata", str(fixture), verbosity=0)
    assert Event.objects.get(pk=9001).starts_on == dt.date(2026, 11, 10)


def test_migration_backfill_sets_each_event_to_its_mexico_city_day():
    late = EventFactory(starts_at=LATE)
    early = EventFactory(starts_at=EARLY_NEXT_DAY)
    # As if written before the column existed: a wrong day, bypassing the model.
    Event._base_manager.update(starts_on=dt.date(2000, 1, 1))
    migration = importlib.import_module("network.migrations.0008_event_starts_on")
    migration.backfill_starts_on(django_apps, None)
    assert (stored_day(late), stored_day(early)) == (dt.date(2026, 11, 10), dt.date(2026, 11, 11))


def test_month_grid_ranks_and_counts_events_by_mexico_city_day_around_midnight(client):
    # Five events late on the 10th (local), in UTC already the 11th; two just after midnight.
    for n in range(5):
        start = LATE.astimezone(UTC) + dt.timedelta(minutes=5 * n)
        EventFactory(title=f"Nocturno {n}", starts_at=start, ends_at=start + dt.timedelta(minutes=3))
    for n in range(2):
        start = EARLY_NEXT_DAY + dt.timedelta(minutes=5 * n)
        EventFactory(title=f"Madrugada {n}", starts_at=start, ends_at=start + dt.timedelta(minutes=3))
    response = client.get("/calendario/?mes=2026-11")
    grid = cells(response)
    assert [e.title for e in grid[dt.date(2026, 11, 10)]["events"]] == [
        f"Nocturno {n}" for n in range(DAY_CELL_LIMIT)]
    assert grid[dt.date(2026, 11, 10)]["more"] == 5 - DAY_CELL_LIMIT
    assert [e.title for e in grid[dt.date(2026, 11, 11)]["events"]] == ["Madrugada 0", "Madrugada 1"]
    assert grid[dt.date(2026, 11, 11)]["more"] == 0
    html = response.content.decode()
    assert "y 2 más" in html and "dia=2026-11-10" in html and "dia=2026-11-11" not in html
    assert "23:30" in html and "00:15" in html  # shown in Mexico City time
    day = client.get("/calendario/?vista=lista&dia=2026-11-10").content.decode()
    assert all(f"Nocturno {n}" in day for n in range(5)) and "Madrugada" not in day


CALENDAR_PAGES = [
    "/calendario/?mes=2026-11",
    "/calendario/?vista=lista",
    "/calendario/?vista=lista&dia=2026-11-10",
    "/calendario/?vista=lista&pagina=2",
    "/calendario/?mes=2026-11&institucion=infoem&tipo=conversatorio",
    "/instituciones/infoem/",
    "/instituciones/",
]


def add_events(n: int, organizers, offset: int = 0) -> None:
    """``n`` events on the 10th around local midnight and ``n`` upcoming ones."""
    for k in range(n):
        i = offset + k
        EventFactory(title=f"Evento {i}", starts_at=LATE + dt.timedelta(minutes=i),
                     organizers=organizers)
        EventFactory(title=f"Próximo {i}", organizers=organizers)


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_calendar_and_institution_pages_run_the_same_queries_with_few_or_many_events(
        client, infoem, itei):
    add_events(2, [infoem])
    for url in CALENDAR_PAGES:  # warm per-process caches, as a live server has them
        queries(client, url)
    few = {url: queries(client, url) for url in CALENDAR_PAGES}
    add_events(40, [infoem, itei], offset=2)
    for url in CALENDAR_PAGES:  # the shell is read again once after a change
        queries(client, url)
    many = {url: queries(client, url) for url in CALENDAR_PAGES}
    assert many == few
    assert {url: n for url, n in many.items() if n > 12} == {}


def test_choice_labels_follow_the_active_language_and_keep_unknown_values():
    from django.utils import translation

    from network.enums import EventKind, EventMode

    event = EventFactory.build(kind=EventKind.ROUNDTABLE, mode=EventMode.HYBRID)
    with translation.override("es-mx"):
        assert (event.get_kind_display(), event.get_mode_display()) == (
            "Mesa de análisis", "Híbrido")
    with translation.override("en"):
        assert (event.get_kind_display(), event.get_mode_display()) == ("Round table", "Hybrid")
    with translation.override("es-mx"):
        assert event.get_kind_display() == "Mesa de análisis"
        event.kind = "ya-no-existe"
        assert event.get_kind_display() == "ya-no-existe"


def test_list_view_shows_each_event_with_its_kind_mode_and_organizers(client, infoem, itei):
    from network.enums import EventKind, EventMode

    EventFactory(title="Foro de datos", kind=EventKind.FORUM, mode=EventMode.ONLINE,
                 online_url="https://example.org/sala", organizers=[infoem, itei])
    html = client.get("/calendario/?vista=lista").content.decode()
    assert "Foro de datos" in html
    assert "Foro · En línea · " in html and "INFOEM" in html and "ITEI" in html


def test_month_with_only_a_long_event_begun_earlier_does_not_say_it_is_empty(client):
    begun = dt.datetime(2026, 9, 20, 9, 0, tzinfo=MX)
    EventFactory(title="Jornada larga", starts_at=begun, ends_at=dt.datetime(2026, 11, 5, tzinfo=MX))
    html = client.get("/calendario/?mes=2026-11").content.decode()
    assert "No hay eventos publicados este mes" not in html
    html = client.get("/calendario/?mes=2027-01").content.decode()
    assert "No hay eventos publicados este mes" in html
