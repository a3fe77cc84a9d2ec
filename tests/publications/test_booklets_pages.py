"""Readers get the current edition at the booklet's stable URL, every edition, and a banner."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from publications.models import EditionPage, Law
from tests.publications import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def laws(db):
    return Law.objects.get(short_name="LGTAIP 2015"), Law.objects.get(short_name="LGTAIP 2025")


@pytest.fixture
def booklet(site, laws):
    old_law, new_law = laws
    booklet = f.booklet(f.booklet_index(site), title="El ABC del acceso a la información")
    f.edition(booklet, laws=[old_law], current_to=dt.date(2024, 6, 30),
              change_summary="Primera edición.",
              body=[f.section("que-es", "¿Qué es?", "Un derecho de todas las personas.")])
    f.edition(booklet, laws=[new_law], current_to=dt.date(2025, 3, 20), trigger_law=new_law,
              change_summary="Actualizada a la ley general de 2025.",
              body=[f.section("que-es", "¿Qué es?", "Un derecho humano de todas las personas.")])
    return booklet


def test_the_booklet_url_shows_the_latest_live_edition_with_the_earlier_ones(client, booklet, laws):
    body = client.get(booklet.url).content.decode()
    assert "Un derecho humano de todas las personas." in body
    assert "Un derecho de todas las personas." not in body
    assert "Actualizada a la ley general de 2025." in body and "20 de marzo de 2025" in body
    assert laws[1].name in body and laws[1].url in body
    assert "La publicación de la Ley General de Transparencia" in body  # what triggered it
    assert "Primera edición." in body and "30 de junio de 2024" in body  # earlier edition listed
    assert body.count("<h1") == 1


def test_dates_keep_each_languages_capitals(client, booklet):
    """Spanish writes months in lower case («20 de marzo de 2025»), English capitalised."""
    client.cookies["django_language"] = "en"
    body = client.get(booklet.url).content.decode()
    assert "20 March 2025" in body and "30 June 2024" in body
    assert "20 march 2025" not in body and "30 june 2024" not in body


def test_a_draft_edition_does_not_replace_the_current_one(client, booklet, laws):
    f.edition(booklet, laws=[laws[1]], current_to=dt.date(2025, 6, 1), publish=False, live=False,
              change_summary="Borrador.", body=[f.section("que-es", "¿Qué es?", "Borrador secreto.")])
    body = client.get(booklet.url).content.decode()
    assert "Borrador secreto." not in body and "Un derecho humano" in body


def test_a_draft_or_withdrawn_edition_is_not_found_at_its_url(client, booklet, laws):
    draft = f.edition(booklet, laws=[laws[1]], current_to=dt.date(2025, 6, 1), publish=False,
                      live=False, slug="edicion-borrador")
    assert client.get(booklet.url + "edicion-borrador/").status_code == 404
    draft.save_revision().publish()
    assert client.get(booklet.url + "edicion-borrador/").status_code == 200
    EditionPage.objects.get(pk=draft.pk).unpublish()
    assert client.get(booklet.url + "edicion-borrador/").status_code == 404
    assert client.get(booklet.url + "no-existe/").status_code == 404


def test_a_superseded_edition_has_its_own_url_and_a_banner_to_the_current_one(client, booklet):
    first, second = booklet.get_children().specific().order_by("path")
    body = client.get(first.url).content.decode()
    assert "Un derecho de todas las personas." in body
    assert ("Esta edición fue sustituida por la edición 2, actualizada al 20 de marzo de 2025."
            in body)
    assert f'href="{booklet.url}"' in body
    current = client.get(second.url).content.decode()
    assert "fue sustituida" not in current
    # No session for readers. (base.html's language form still sets Django's csrftoken on
    # every public page: a site-wide matter, reported at hand-over.)
    assert set(client.cookies) <= {"csrftoken"}


def test_the_index_lists_booklets_by_series_and_filters_by_audience(client, site, booklet):
    other = f.booklet(f.booklet_index(site), title="El ABC para niñas y niños",
                      audience="ninas-ninos", series=f.series(name="Infantil", slug="infantil"))
    index = f.booklet_index(site)
    body = client.get(index.url).content.decode()
    assert booklet.title in body and other.title in body and "Infantil" in body
    assert "Edición 2, actualizada al 20 de marzo de 2025" in body
    only_children = client.get(index.url, {"publico": "ninas-ninos"}).content.decode()
    assert other.title in only_children and booklet.title not in only_children
    wrong = client.get(index.url, {"publico": "<script>"})
    assert wrong.status_code == 200
    text = wrong.content.decode()
    assert "no existe; se muestran todos" in text and "<script>" not in text
    assert booklet.title in text


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_booklet_page_and_comparison_queries_stay_constant_as_editions_grow(client, booklet, laws):
    for _ in range(2):  # warm the site's shell (the first request also stores the
        client.get(booklet.url)  # publication settings' row, which reads it again)
    few_page = _queries(client, booklet.url)
    few_compare = _queries(client, booklet.url + "comparar/?de=1&a=2")
    first = booklet.get_children().first().specific
    few_edition = _queries(client, first.url)
    for n in range(3, 9):
        f.edition(booklet, laws=list(laws), current_to=dt.date(2025, 3, 20) + dt.timedelta(days=n),
                  change_summary=f"Corrección {n}.", kind="correccion",
                  body=[f.section("que-es", "¿Qué es?", f"Texto {n}."),
                        f.section(f"extra-{n}", "Extra", "Más texto.")])
    client.get(booklet.url)  # the site's shell is read again once after a change
    many_page = _queries(client, booklet.url)
    many_compare = _queries(client, booklet.url + "comparar/?de=1&a=8")
    many_edition = _queries(client, first.url)
    assert many_page == few_page <= 12
    assert many_compare == few_compare <= 12
    assert many_edition == few_edition <= 12


def test_the_index_queries_stay_constant_as_booklets_grow(client, site, booklet, laws):
    index = f.booklet_index(site)
    for _ in range(2):  # the first request also stores the publication settings' row
        client.get(index.url)
    few = _queries(client, index.url)
    for _n in range(5):
        f.edition(f.booklet(index), laws=[laws[1]], current_to=dt.date(2025, 4, 1))
    client.get(index.url)  # the site's shell is read again once after a change
    assert _queries(client, index.url) == few <= 12
