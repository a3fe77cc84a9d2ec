"""Articles and booklet editions are found by the site search, in Spanish, with or without
accents, grouped as «Artículos» and «Cuadernillos»."""

from __future__ import annotations

import pytest

from tests.publications import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(site):
    issue = f.issue(f.magazine(site))
    author = f.AuthorFactory(given_names="Begoña", family_names="Villaseñor")
    article = f.article(
        issue, title="Gobierno abierto en los municipios", authors=[author],
        keywords="rendición de cuentas; participación ciudadana",
        body=[("paragraph", "<p>Los ayuntamientos publican su información presupuestaria.</p>")])
    draft = f.article(issue, title="Borrador sobre ayuntamientos", publish=False, live=False,
                      body=[("paragraph", "<p>Ayuntamientos y presupuesto.</p>")])
    edition = f.edition(f.booklet(f.booklet_index(site), title="El ABC de la protección de datos"),
                        body=[("section", {"key": "derechos", "heading": "Derechos ARCO",
                                           "content": [("paragraph",
                                                        "<p>Acceso, rectificación, cancelación y "
                                                        "oposición.</p>")]})])
    return {"article": article, "draft": draft, "edition": edition}


def _groups(client, q):
    response = client.get("/buscar/", {"q": q})
    assert response.status_code == 200
    return {g.title: [p.pk for p in g.results] for g in response.context["groups"]}


@pytest.mark.parametrize("q", [
    "Villaseñor", "villasenor",                 # an author's family name, with and without ñ
    "rendición de cuentas", "rendicion",        # a keyword
    "presupuestaria", "información", "informacion",  # words from the body
])
def test_the_article_is_found(client, published, q):
    assert _groups(client, q).get("Artículos") == [published["article"].pk]


def test_a_draft_is_never_found(client, published):
    assert published["draft"].pk not in _groups(client, "ayuntamientos").get("Artículos", [])


@pytest.mark.parametrize("q", ["rectificación", "rectificacion", "oposicion"])
def test_the_booklet_edition_is_found(client, published, q):
    assert _groups(client, q).get("Cuadernillos") == [published["edition"].pk]


def test_results_are_grouped_and_not_repeated_below(client, published):
    response = client.get("/buscar/", {"q": "presupuestaria"})
    html = response.content.decode()
    assert "<h2" in html and "Artículos" in html
    assert [g.key for g in response.context["groups"]] == ["articulos"]
    assert html.count(published["article"].title) == 1
