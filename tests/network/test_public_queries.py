"""Every public page runs a constant, small number of SQL queries as the data grows.

For each page the query count with a small dataset must equal the count with a larger one
(3 vs 60 rows of each kind: contacts, events, agreements, capsules) and stay at or under
``LIMIT``. A page whose count grows with the rows has an N+1 that 10,000 rows would turn into
a slow page.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from network.models import Institution
from tests.factories import (
    AgreementFactory,
    AllyFactory,
    EventFactory,
    PersonFactory,
    VideoCapsuleFactory,
)

pytestmark = pytest.mark.django_db

LIMIT = 12
SMALL, LARGE = 3, 60


def grow(n: int, offset: int) -> None:
    """Add ``n`` rows of each kind around INFOEM and ITEI (``offset`` keeps titles unique)."""
    infoem = Institution.objects.get(acronym="INFOEM")
    itei = Institution.objects.get(acronym="ITEI")
    now = timezone.now()
    local = timezone.localtime(now).replace(day=10, hour=9, minute=0, second=0, microsecond=0)
    for k in range(n):
        i = offset + k
        PersonFactory(institution=infoem, is_public=True, email_public=True)
        # Half of them on one busy day of this month, the rest spread over the next weeks.
        start = local + dt.timedelta(minutes=i) if k % 2 else now + dt.timedelta(days=1 + k % 20)
        EventFactory(title=f"Evento {i}", starts_at=start, organizers=[infoem, itei])
        AgreementFactory(institutions=[infoem, itei]).allies.add(AllyFactory())
        VideoCapsuleFactory(title=f"Cápsula {i}", institution=infoem)


def count(client, url: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    return response.status_code, len(ctx.captured_queries)


PAGES = [
    "/",
    "/aviso-de-privacidad/",
    "/concursos/",
    "/concurso-consultas/",
    "/concurso-consultas/edicion-consultas-0/",
    "/instituciones/",
    "/instituciones/infoem/",
    "/instituciones/infoem/contactos/",
    "/instituciones/infoem/convenios/",
    "/calendario/",
    "/calendario/?vista=lista",
    "/calendario/?vista=lista&dia={today}",
    "/capsulas/",
    "/capsulas/?institucion=infoem",
    "/buscar/?q=evento",
    "/datos/",
]


def grow_contest(series, n: int, offset: int) -> None:
    """Add ``n`` editions to the contest series, in turns open, upcoming and with results."""
    from tests.contests.factories import CallFactory

    for k in range(n):
        CallFactory(parent=series, slug=f"edicion-consultas-{offset + k}",
                    phase=("results", "open", "upcoming")[(offset + k) % 3])


def grow_awards(n: int) -> None:
    """Add ``n`` awarded works to the first edition, whose results are public."""
    from contests.models import ContestCallPage
    from tests.contests.factories import AwardFactory, EntryFactory

    call = ContestCallPage.objects.get(slug="edicion-consultas-0")
    for category in list(call.categories.all())[:n]:
        AwardFactory(entry=EntryFactory(category=category))


def measure(client, urls) -> dict[str, tuple[int, int]]:
    return {url: count(client, url) for url in urls}


def test_public_pages_run_the_same_few_queries_with_3_or_60_rows_of_each_kind(client, site):
    from tests.contests.factories import SeriesFactory

    urls = [u.format(today=timezone.localdate().replace(day=10).isoformat()) for u in PAGES]
    series = SeriesFactory(slug="concurso-consultas", parent=site)
    grow(SMALL, 0)
    grow_contest(series, 2, 0)
    grow_awards(1)
    measure(client, urls)  # warm per-process caches (site root, settings) as a live server has
    small = measure(client, urls)
    grow(LARGE - SMALL, SMALL)
    grow_contest(series, 3, 2)
    grow_awards(4)
    measure(client, urls)  # the shell is read again once after a change (hub/sitecache.py)
    large = measure(client, urls)
    print(small, large)
    assert {u: s for u, (s, _n) in large.items()} == {u: 200 for u in urls}
    assert {u: n for u, (_s, n) in large.items()} == {u: n for u, (_s, n) in small.items()}
    assert {u: n for u, (_s, n) in large.items() if n > LIMIT} == {}


def test_month_grid_reads_only_the_events_it_shows(client):
    day = timezone.localtime().replace(day=12, hour=8, minute=0, second=0, microsecond=0)
    for n in range(10):
        EventFactory(title=f"Taller {n}", starts_at=day + dt.timedelta(minutes=10 * n),
                     ends_at=day + dt.timedelta(minutes=10 * n + 5))
    response = client.get(f"/calendario/?mes={day:%Y-%m}")
    cell = next(d for week in response.context["weeks"] for d in week
                if d["date"] == day.date())
    assert [e.title for e in cell["events"]] == ["Taller 0", "Taller 1", "Taller 2"]
    html = response.content.decode()
    assert html.count("Taller 0") == 2 and "Taller 3" not in html  # grid and phone agenda
    assert cell["more"] == 7
    assert "y 7 más" in response.content.decode()


def test_institution_page_shows_a_bounded_part_of_each_list_and_links_to_the_rest(client, infoem):
    from network.views.public import SHOWN

    for n in range(SHOWN["contacts"] + 2):
        PersonFactory(institution=infoem, name=f"Persona {n:02d}", is_public=True)
    for n in range(SHOWN["agreements"] + 1):
        AgreementFactory(title=f"Convenio {n:02d}", institutions=[infoem])
    for n in range(SHOWN["events"] + 1):
        EventFactory(title=f"Evento {n:02d}", organizers=[infoem])
    html = client.get("/instituciones/infoem/").content.decode()
    assert html.count("<strong>Persona ") == SHOWN["contacts"]
    assert html.count("<strong>Convenio ") == SHOWN["agreements"]
    assert html.count(">Evento ") == SHOWN["events"]
    assert "/instituciones/infoem/contactos/" in html and "/instituciones/infoem/convenios/" in html
    assert "vista=lista&amp;institucion=infoem" in html
    everyone = client.get("/instituciones/infoem/contactos/").content.decode()
    assert everyone.count("<strong>Persona ") == SHOWN["contacts"] + 2
    agreements = client.get("/instituciones/infoem/convenios/").content.decode()
    assert agreements.count("<strong>Convenio ") == SHOWN["agreements"] + 1
    assert client.get("/instituciones/no-existe/contactos/").status_code == 404


def test_institution_page_without_more_rows_offers_no_see_all_link(client, infoem):
    PersonFactory(institution=infoem, is_public=True)
    html = client.get("/instituciones/infoem/").content.decode()
    assert "/instituciones/infoem/contactos/" not in html
    assert "/instituciones/infoem/convenios/" not in html
