"""Open data: /datos/articulos and /datos/cuadernillos, JSON, CSV and schema."""

from __future__ import annotations

import csv
import io

import pytest

from hub.opendata import FieldType
from tests.opendata_support import rows_from_the_cache
from tests.publications import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(site):
    return _publish(site)


@pytest.fixture
def published_and_committed(site, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return _publish(site)


def _publish(site):
    issue = f.issue(f.magazine(site), volume=3, number=4)
    author = f.AuthorFactory(given_names="Rosa", family_names="Ortiz", orcid="0000-0002-1825-0097",
                             email="rosa@example.org", affiliation="=HYPERLINK(\"x\")")
    article = f.article(issue, title="Archivos y memoria", authors=[author], doi="10.1234/mt.9",
                        keywords="archivos; memoria", first_page=5, last_page=19)
    f.article(issue, title="Aún en revisión", publish=False, live=False)
    law = f.LawFactory(short_name="LGTAIP")
    booklet = f.booklet(f.booklet_index(site), title="El ABC de los archivos")
    first = f.edition(booklet, laws=[law], edition_number=1)
    second = f.edition(booklet, laws=[law], edition_number=2, replaces=first,
                       current_to=first.current_to.replace(year=2025),
                       change_summary="Nueva ley general de 2025.")
    return {"article": article, "first": first, "second": second}


def test_articles_json_has_the_documented_fields_and_no_email(client, published):
    body = client.get("/datos/articulos.json").json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["titulo"] == "Archivos y memoria"
    assert row["autores"] == ["Rosa Ortiz"]
    assert row["orcid"] == ["0000-0002-1825-0097"]
    assert (row["volumen"], row["numero"], row["paginas"]) == (3, 4, "5-19")
    assert row["doi"] == "10.1234/mt.9"
    assert row["palabras_clave"] == ["archivos", "memoria"]
    assert row["url"] == published["article"].get_full_url()
    assert set(row) == {c["nombre"] for c in body["schema"]["campos"]}
    assert "rosa@example.org" not in str(body)


def test_articles_csv_neutralises_formulas(client, published):
    response = client.get("/datos/articulos.csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 1
    assert rows[0]["adscripciones"].startswith("'=")


def test_booklet_editions_json_marks_the_current_one(client, published):
    body = client.get("/datos/cuadernillos.json").json()
    by_edition = {r["edicion"]: r for r in body["results"]}
    assert set(by_edition) == {1, 2}
    assert by_edition[2]["vigente"] is True and by_edition[1]["vigente"] is False
    assert by_edition[2]["leyes"] == ["LGTAIP"]
    assert by_edition[2]["sustituye_a"] == published["first"].get_full_url()
    assert by_edition[2]["serie"] == "Los ABC"


def test_schemas_use_the_shared_field_types(client, published):
    for name in ("articulos", "cuadernillos"):
        schema = client.get(f"/datos/{name}/esquema.json").json()
        assert schema["nombre"] == name
        types = {c["tipo"] for c in schema["campos"]}
        assert types <= {t.schema_type for t in FieldType}
        urls = [c for c in schema["campos"] if c["nombre"] == "url"]
        assert urls[0]["formato"] == "uri"


def test_the_open_data_index_lists_both(client, published):
    html = client.get("/datos/").content.decode()
    assert "articulos" in html and "cuadernillos" in html


def test_the_articles_dataset_changes_its_etag_when_an_author_is_renamed(client, site):
    from tests.publications import factories as pubf

    author = pubf.AuthorFactory(family_names="Robles")
    pubf.article(pubf.issue(pubf.magazine(site)), authors=[author])
    first = client.get("/datos/articulos.json")
    assert first.status_code == 200 and "Robles" in first.content.decode()
    assert client.get("/datos/articulos.json",
                      HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    author.family_names = "Robles Durán"
    author.save()
    again = client.get("/datos/articulos.json", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200 and "Robles Durán" in again.content.decode()


def test_after_a_change_both_datasets_are_served_from_the_cache(
        client, jobs_inline, published_and_committed, django_capture_on_commit_callbacks):
    """Their version follows the page cache's generation: once a change's purge takes effect,
    the rebuild job stores the new bodies, and the next request is a hit showing the change."""
    from publications.models import Author, Law

    client.get("/datos/articulos.json")
    client.get("/datos/cuadernillos.json")
    with django_capture_on_commit_callbacks(execute=True):
        author = Author.objects.get(family_names="Ortiz")
        author.family_names = "Ortiz Luna"
        author.save()
    assert [row["autores"] for row in rows_from_the_cache(client, "articulos")] == [
        ["Rosa Ortiz Luna"]]
    with django_capture_on_commit_callbacks(execute=True):
        law = Law.objects.get(short_name="LGTAIP")
        law.short_name = "LPRUEBA"
        law.save()
    assert {tuple(row["leyes"]) for row in rows_from_the_cache(client, "cuadernillos")} == {
        ("LPRUEBA",)}
