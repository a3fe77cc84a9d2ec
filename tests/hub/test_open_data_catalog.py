"""The catalog of /datos/ read by the tools that harvest open data: Frictionless (the Data
Package reference implementation) downloads and checks every CSV against its Table Schema, and
rdflib reads the DCAT catalog as the linked data that CKAN's DCAT harvester imports."""

from __future__ import annotations

import io

import pytest
import requests
from django.db import connection
from django.test.utils import CaptureQueriesContext
from frictionless import validate
from rdflib import Graph
from rdflib.namespace import DCAT, DCTERMS

from hub import opendata

# rdflib's own JSON-LD parser still builds a ConjunctiveGraph internally.
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")


@pytest.fixture
def demo(reference_data):
    from hub.bootstrap import ensure_site
    from hub.management.commands.bootstrap import Command

    ensure_site()
    Command(stdout=io.StringIO())._demo()


def test_harvesters_read_every_dataset_of_the_demo_and_every_csv_matches_its_schema(
        live_server, demo):
    names = {d.name for d in opendata.datasets()}
    report = validate(live_server.url + "/datos/datapackage.json")
    assert report.valid, report.flatten(["type", "note"])[:10]
    assert {task.name for task in report.tasks} == names
    # The demo has rows in the network's datasets, which were read and checked one by one.
    rows = {task.name: task.stats.get("rows") or 0 for task in report.tasks}
    assert rows["instituciones"] >= 33
    assert rows["eventos"] > 0 and rows["convenios"] > 0 and rows["estadisticas"] > 0

    graph = Graph().parse(live_server.url + "/datos/catalogo.jsonld", format="json-ld")
    catalogs = list(graph.subjects(predicate=None, object=DCAT.Catalog))
    assert len(catalogs) == 1
    datasets = set(graph.objects(catalogs[0], DCAT.dataset))
    assert {str(graph.value(d, DCTERMS.identifier)) for d in datasets} == names
    for dataset in datasets:
        assert graph.value(dataset, DCTERMS.title).language == "es"
        assert str(graph.value(dataset, DCTERMS.license)).startswith("https://creativecommons.org/")
        formats = {str(graph.value(dist, DCTERMS.format)): str(graph.value(dist, DCAT.downloadURL))
                   for dist in graph.objects(dataset, DCAT.distribution)}
        assert set(formats) == {"CSV", "JSON"}
    # A harvester follows a distribution to its file.
    csv_url = next(str(graph.value(dist, DCAT.downloadURL))
                   for d in datasets if str(graph.value(d, DCTERMS.identifier)) == "eventos"
                   for dist in graph.objects(d, DCAT.distribution)
                   if str(graph.value(dist, DCTERMS.format)) == "CSV")
    answer = requests.get(csv_url, timeout=30)
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("text/csv")


def test_the_catalog_speaks_the_visitors_language_and_reads_no_data(client, reference_data):
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with CaptureQueriesContext(connection) as queries:
        english = client.get("/datos/catalogo.jsonld")
    assert english.status_code == 200 and english["Content-Type"] == "application/ld+json"
    assert not [q for q in queries.captured_queries if "SELECT" in q["sql"]
                and "django_session" not in q["sql"]]
    graph = Graph().parse(data=english.content, format="json-ld")
    titles = {(str(t), t.language) for t in graph.objects(None, DCTERMS.title)}
    assert ("Open data of Enlace, Sistema Nacional de Transparencia", "en") in titles
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    package = client.get("/datos/datapackage.json").json()
    assert package["title"] == "Datos abiertos de Enlace, Sistema Nacional de Transparencia"
    assert package["resources"][0]["path"].startswith("http://testserver/datos/")


def test_the_open_data_page_links_the_catalog(client, reference_data):
    page = client.get("/datos/").content.decode()
    assert 'href="/datos/datapackage.json"' in page and 'href="/datos/catalogo.jsonld"' in page

