"""One search over everything public, grouped by kind, in Spanish with or without accents:
institutions by acronym, events, capsules, calls and pages; drafts never."""

from __future__ import annotations

import pytest

from tests.factories import EventFactory, VideoCapsuleFactory

pytestmark = pytest.mark.django_db


def _found(client, q, **params):
    response = client.get("/buscar/", {"q": q, **params})
    assert response.status_code == 200
    return {g.key: [h.title for h in g.hits] for g in response.context["groups"]}, response


def test_an_institution_is_found_by_its_acronym_in_any_case(client, site, infoem):
    for q in ("infoem", "INFOEM"):
        found, _r = _found(client, q)
        assert infoem.name in found["instituciones"]


@pytest.mark.parametrize("q", ["Conversatorio", "conversatorio", "Acceso a la información",
                               "informacion"])
def test_a_published_event_is_found_and_a_draft_is_not(client, site, q):
    EventFactory(title="Conversatorio sobre acceso a la información", summary="Diálogo abierto")
    EventFactory(title="Conversatorio borrador sobre información reservada", live=False)
    found, _r = _found(client, q)
    assert found["eventos"] == ["Conversatorio sobre acceso a la información"]


def test_capsules_and_pages_come_in_their_own_groups(client, site, infoem):
    VideoCapsuleFactory(title="Cápsula: privacidad en redes", institution=infoem)
    found, response = _found(client, "privacidad")
    assert found["capsulas"] == ["Cápsula: privacidad en redes"]
    assert "Aviso de privacidad" in found["paginas"]
    html = response.content.decode()
    assert html.index('id="grupo-paginas"') < html.index('id="grupo-capsulas"')


def test_one_kind_at_a_time_with_pages_of_twenty(client, site):
    for n in range(23):
        EventFactory(title=f"Foro regional número {n}")
    found, response = _found(client, "foro")
    assert len(found["eventos"]) == 5
    assert "tipo=eventos" in response.content.decode()  # «Ver todos los resultados en eventos»
    found, response = _found(client, "foro", tipo="eventos")
    assert list(found) == ["eventos"] and len(found["eventos"]) == 20
    assert response.context["page"].paginator.count == 23
    found, _r = _found(client, "foro", tipo="eventos", pagina="2")
    assert len(found["eventos"]) == 3


def test_an_unknown_kind_searches_everything_and_nothing_found_says_so(client, site):
    found, response = _found(client, "zxqvw", tipo="<script>")
    assert found == {}
    assert "No encontramos nada para «zxqvw»" in response.content.decode()
    assert "<script>" not in response.content.decode()


def test_the_demo_rows_made_in_bulk_are_found(client, site):
    from network.domain.demo import populate
    from network.models import Event

    populate(contacts=3, events=6, agreements=2, allies=2)
    title = Event.objects.order_by("pk").first().title
    word = title.split()[0]
    found, _r = _found(client, word)
    assert title in found["eventos"]
