"""Two editions compared section by section on their stable keys, in words as well as marks."""

import datetime as dt
import re

import pytest

from publications.domain.editions import compare, word_diff
from tests.publications import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def booklet(site):
    booklet = f.booklet(f.booklet_index(site))
    f.edition(booklet, current_to=dt.date(2024, 1, 1), body=[
        f.section("que-es", "¿Qué es?", "El INAI garantiza el derecho.", "Párrafo igual."),
        f.section("quien-garantiza", "¿Quién lo garantiza?", "El INAI y los órganos garantes."),
        f.section("plazos", "Plazos", "Veinte días hábiles."),
    ])
    f.edition(booklet, current_to=dt.date(2025, 3, 20), change_summary="Nueva ley.", body=[
        f.section("que-es", "¿Qué es?", "Transparencia para el Pueblo garantiza el derecho.",
                  "Párrafo igual."),
        f.section("plazos", "Plazos", "Veinte días hábiles."),
        f.section("autoridades-garantes", "Autoridades garantes", "Hay nuevas autoridades."),
    ])
    return booklet


def test_sections_are_matched_on_their_keys(booklet):
    old, new = booklet.get_children().specific().order_by("path")
    changes = {c.key: c for c in compare(old, new)}
    assert changes["que-es"].status == "changed"
    assert changes["quien-garantiza"].status == "removed"
    assert changes["autoridades-garantes"].status == "added"
    assert changes["plazos"].status == "unchanged"
    # The removed section stays where it was: after "que-es".
    assert [c.key for c in compare(old, new)] == ["que-es", "quien-garantiza", "plazos",
                                                  "autoridades-garantes"]


def test_word_diff_marks_only_the_changed_words():
    segments = word_diff("El INAI garantiza el derecho.",
                         "Transparencia para el Pueblo garantiza el derecho.")
    assert [(s.op, s.text) for s in segments] == [
        ("delete", "El INAI"), ("insert", "Transparencia para el Pueblo"),
        ("equal", "garantiza el derecho.")]


def test_the_comparison_page_marks_changes_with_words_and_collapses_unchanged(client, booklet):
    response = client.get(booklet.url + "comparar/", {"de": "1", "a": "2"})
    assert response.status_code == 200
    body = response.content.decode()
    assert re.search(r"<del><span class=\"visually-hidden\">Texto eliminado: </span>El INAI</del>",
                     body)
    assert re.search(r"<ins><span class=\"visually-hidden\">Texto añadido: </span>"
                     r"Transparencia para el Pueblo</ins>", body)
    assert "Sección eliminada en esta edición." in body and "Sección añadida en esta edición." in body
    assert re.search(r"<details[^>]*>\s*<summary>Sin cambios: Plazos</summary>", body)
    assert "Secciones añadidas: 1. Eliminadas: 1. Modificadas: 1. Sin cambios: 1." in body
    assert body.count("<h1") == 1


@pytest.mark.parametrize(("params", "status", "message"), [
    ({"de": "1"}, 400, "Indique dos números de edición válidos"),
    ({"de": "uno", "a": "2"}, 400, "Indique dos números de edición válidos"),
    ({"de": "-1", "a": "2"}, 400, "Indique dos números de edición válidos"),
    ({"de": "99999999999999999999", "a": "2"}, 400, "Indique dos números de edición válidos"),
    ({"de": "２", "a": "1"}, 400, "Indique dos números de edición válidos"),
    ({"de": "2", "a": "2"}, 400, "Elija dos ediciones distintas"),
    ({"de": "1", "a": "7"}, 404, "no tiene una edición publicada con el número 7"),
])
def test_bad_edition_numbers_are_answered_in_spanish(client, booklet, params, status, message):
    response = client.get(booklet.url + "comparar/", params)
    assert response.status_code == status
    assert message in response.content.decode()


def test_a_draft_edition_cannot_be_compared_by_the_public(client, booklet):
    f.edition(booklet, publish=False, live=False, edition_number=3, current_to=dt.date(2025, 4, 1),
              body=[f.section("que-es", "¿Qué es?", "Texto aún no publicado.")])
    response = client.get(booklet.url + "comparar/", {"de": "2", "a": "3"})
    assert response.status_code == 404
    assert "Texto aún no publicado." not in response.content.decode()


def test_without_parameters_the_page_offers_the_last_two_editions(client, booklet):
    response = client.get(booklet.url + "comparar/")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<option value="1" selected>' in body and '<option value="2" selected>' in body
