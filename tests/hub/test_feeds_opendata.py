"""Open data answers pollers cheaply (ETag, Last-Modified, 304) and never serves a stale copy."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hub.opendata import datasets
from tests.factories import AgreementFactory, EventFactory

pytestmark = pytest.mark.django_db

NETWORK = ("instituciones", "eventos", "convenios")


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def test_every_dataset_has_a_validator():
    assert {d.name for d in datasets() if d.version is None} == set()


@pytest.mark.parametrize("name", [*NETWORK, "resultados-concursos"])
@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_a_current_copy_gets_a_304(client, name, fmt):
    first = client.get(f"/datos/{name}.{fmt}")
    assert first.status_code == 200 and first["ETag"]
    body(first)
    again = client.get(f"/datos/{name}.{fmt}", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"]
    if name not in NETWORK:
        return  # no published result yet: no date to give as Last-Modified
    since = client.get(f"/datos/{name}.{fmt}", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


def test_a_304_reads_no_row(client):
    EventFactory(title="Foro")
    etag = client.get("/datos/eventos.json")["ETag"]
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/datos/eventos.json", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert len(ctx.captured_queries) <= 3
    assert all("network_event_organizers" not in q["sql"] for q in ctx.captured_queries)


def test_events_change_after_an_edit_in_json_and_csv(client, infoem):
    event = EventFactory(title="Foro", organizers=[infoem])
    json_etag = client.get("/datos/eventos.json")["ETag"]
    csv_etag = client.get("/datos/eventos.csv")["ETag"]
    event.title = "Foro regional"
    event.save()
    response = client.get("/datos/eventos.json", HTTP_IF_NONE_MATCH=json_etag)
    assert response.status_code == 200
    assert [r["titulo"] for r in json.loads(response.content)["results"]] == ["Foro regional"]
    response = client.get("/datos/eventos.csv", HTTP_IF_NONE_MATCH=csv_etag)
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(body(response).decode("utf-8-sig"))))
    assert [r["titulo"] for r in rows] == ["Foro regional"]


def test_unpublishing_and_renaming_show_at_once(client, infoem):
    event = EventFactory(title="Foro", organizers=[infoem])
    etag = client.get("/datos/eventos.json")["ETag"]
    infoem.acronym = "INFOEMEX"
    infoem.save()
    response = client.get("/datos/eventos.json", HTTP_IF_NONE_MATCH=etag)
    assert json.loads(response.content)["results"][0]["organizadores"] == ["INFOEMEX"]
    event.unpublish()
    response = client.get("/datos/eventos.json", HTTP_IF_NONE_MATCH=response["ETag"])
    assert response.status_code == 200 and json.loads(response.content)["count"] == 0


def test_agreements_change_after_an_edit(client, infoem):
    agreement = AgreementFactory(title="Convenio", institutions=[infoem])
    etag = client.get("/datos/convenios.json")["ETag"]
    agreement.is_public = False
    agreement.save()
    response = client.get("/datos/convenios.json", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and json.loads(response.content)["results"] == []


def test_json_document_is_whole_and_counts_its_rows(client):
    for n in range(3):
        EventFactory(title=f"Foro {n}")
    data = json.loads(client.get("/datos/eventos.json").content)
    assert data["dataset"] == "eventos" and data["count"] == 3
    assert [f["nombre"] for f in data["schema"]["campos"]][:2] == ["id", "titulo"]
    assert len(data["results"]) == 3


def test_contest_results_change_when_a_result_is_published(client):
    from tests.contests.factories import AwardFactory, CallFactory, EntryFactory

    etag = client.get("/datos/resultados-concursos.json")["ETag"]
    call = CallFactory(phase="results")
    AwardFactory(entry=EntryFactory(category=call.categories.first(), title="Obra premiada"))
    response = client.get("/datos/resultados-concursos.json", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert [r["titulo"] for r in json.loads(response.content)["results"]] == ["Obra premiada"]
