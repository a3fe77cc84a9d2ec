"""Open data answers pollers cheaply (ETag, Last-Modified, 304) and never serves a stale copy."""

from __future__ import annotations

import csv
import datetime as dt
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


# --- The fast writers against what the models say -------------------------------------------

def reference_event_row(event) -> dict:
    """One row of ``eventos`` as the first version built it, from a model instance."""
    from django.conf import settings
    from django.utils import timezone

    return {
        "id": event.pk, "titulo": event.title, "tipo": event.get_kind_display(),
        "modalidad": event.get_mode_display(),
        "inicio": timezone.localtime(event.starts_at).isoformat(),
        "fin": timezone.localtime(event.ends_at).isoformat() if event.ends_at else None,
        "sede": event.venue or None, "entidad": event.get_state_display() or None,
        "enlace_transmision": event.online_url or None,
        "enlace_registro": event.registration_url or None, "publico": event.audience or None,
        "organizadores": [o.acronym for o in event.organizers.all()],
        "comision": event.commission.name if event.commission_id else None,
        "url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + event.get_absolute_url(),
    }


def test_every_event_row_says_what_the_model_says(client, infoem, itei):
    from django.utils import timezone

    from network.models import Event
    from tests.factories import CommissionFactory

    commission = CommissionFactory(name="Comisión de Archivos, Gestión Documental")
    now = timezone.now().replace(microsecond=0)
    EventFactory(title="Sin fin", starts_at=now + dt.timedelta(days=3), ends_at=None,
                 organizers=[itei, infoem], commission=commission, state="JAL",
                 audience="Personas servidoras públicas")
    EventFactory(title="Foro, con coma; y punto y coma", venue="Sede «A»", state="",
                 starts_at=now - dt.timedelta(days=400), online_url="https://example.org/v")
    EventFactory(title="Borrador", live=False)
    results = json.loads(client.get("/datos/eventos.json").content)["results"]
    expected = [reference_event_row(e) for e in
                Event.objects.public().order_by("starts_at", "pk")]
    assert results == expected
    assert [r["titulo"] for r in results] == ["Foro, con coma; y punto y coma", "Sin fin"]
    assert results[1]["inicio"].endswith("-06:00")  # Mexico City, whatever zone is active
    response = client.get("/datos/eventos.csv")
    rows = list(csv.DictReader(io.StringIO(body(response).decode("utf-8-sig"))))
    assert rows[1]["organizadores"] == "; ".join(expected[1]["organizadores"])
    assert rows[1]["comision"] == "Comisión de Archivos, Gestión Documental"
    assert rows[1]["fin"] == ""  # no end


def test_events_are_listed_by_start_to_the_microsecond_then_by_id(client, db):
    """Rows are read in the table's order and sorted by their start's text: fractions of a
    second and equal starts must come out as the database would order them."""
    from django.utils import timezone

    from network.models import Event

    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=2)
    for title, offset in (("medio segundo después", dt.timedelta(microseconds=500_000)),
                          ("en punto", dt.timedelta(0)),
                          ("una décima antes", dt.timedelta(microseconds=-100_000)),
                          ("también en punto", dt.timedelta(0))):
        EventFactory(title=title, starts_at=start + offset, ends_at=None)
    expected = list(Event.objects.public().order_by("starts_at", "pk")
                    .values_list("title", flat=True))
    assert expected == ["una décima antes", "en punto", "también en punto",
                        "medio segundo después"]
    results = json.loads(client.get("/datos/eventos.json").content)["results"]
    assert [r["titulo"] for r in results] == expected
    rows = list(csv.DictReader(io.StringIO(body(client.get("/datos/eventos.csv"))
                                           .decode("utf-8-sig"))))
    assert [r["titulo"] for r in rows] == expected


def test_json_encoded_in_batches_is_one_whole_document(client, monkeypatch):
    from hub import opendata

    monkeypatch.setattr(opendata, "BATCH", 2)
    for n in range(5):
        EventFactory(title=f"Foro {n}")
    data = json.loads(client.get("/datos/eventos.json").content)
    assert data["count"] == 5
    assert sorted(r["titulo"] for r in data["results"]) == [f"Foro {n}" for n in range(5)]


def test_csv_neutralises_formulas_and_is_served_from_the_cache_until_a_change(client):
    EventFactory(title="=HYPERLINK(\"http://x\")", venue="  +1", audience="@todos")
    EventFactory(title="Taller - parte 1", venue="-", audience="")
    first = client.get("/datos/eventos.csv")
    first_body = body(first)
    text = first_body.decode("utf-8-sig")
    assert first["Content-Length"] == str(len(first_body))
    rows = {r["titulo"]: r for r in csv.DictReader(io.StringIO(text))}
    assert rows["'=HYPERLINK(\"http://x\")"]["sede"] == "'  +1"
    assert rows["'=HYPERLINK(\"http://x\")"]["publico"] == "'@todos"
    assert rows["Taller - parte 1"]["sede"] == "'-"
    with CaptureQueriesContext(connection) as ctx:
        again = client.get("/datos/eventos.csv")
        assert body(again) == first_body
    assert all("network_event_organizers" not in q["sql"] for q in ctx.captured_queries)
    EventFactory(title="Nuevo")
    assert "Nuevo" in body(client.get("/datos/eventos.csv")).decode()


def test_a_dataset_without_version_is_built_per_request_with_only_its_fields(client,
                                                                            monkeypatch):
    from hub import opendata

    served = []

    def rows():
        served.append(1)
        yield {"extra": "nunca", "b": ["x", "y"], "a": 1}
        yield {"a": 2, "b": None}

    dataset = opendata.Dataset(
        name="prueba", title="Prueba", description="Prueba",
        fields=(opendata.Field("a", "integer", "A"), opendata.Field("b", "array", "B")),
        rows=rows)
    monkeypatch.setitem(opendata._REGISTRY, "prueba", dataset)
    for _ in range(2):
        data = json.loads(client.get("/datos/prueba.json").content)
        assert data["results"] == [{"a": 1, "b": ["x", "y"]}, {"a": 2, "b": None}]
        response = client.get("/datos/prueba.csv")
        assert response.streaming and "ETag" not in response
        assert body(response).decode("utf-8-sig") == "a,b\r\n1,x; y\r\n2,\r\n"
    assert len(served) == 4  # nothing cached without a version


@pytest.mark.parametrize("value", [
    None, "2026-03-01 18:30:00", "2026-03-01 18:30:00.250000",
    "2026-03-01 18:30:00+00", "2026-03-01 18:30:00.25+00",  # PostgreSQL's timestamptz::text
    dt.datetime(2026, 3, 1, 18, 30, tzinfo=dt.UTC).replace(tzinfo=None),  # naive, as SQLite
    dt.datetime(2026, 3, 1, 18, 30, tzinfo=dt.UTC),
])
def test_moment_reads_any_driver_date_time_as_utc(value):
    from hub.opendata import moment

    found = moment(value)
    if value is None:
        assert found is None
        return
    assert found.utcoffset() == dt.timedelta(0)
    assert found.replace(microsecond=0) == dt.datetime(2026, 3, 1, 18, 30, tzinfo=dt.UTC)


def _awkward_events(infoem, itei):
    from tests.factories import CommissionFactory

    now = dt.datetime(2026, 3, 1, 17, 30, tzinfo=dt.UTC)
    EventFactory(title='Foro "datos" \\ abiertos — «acceso» ñ', organizers=[infoem, itei],
                 venue="Sala 1, (planta baja)", state="MEX", audience="Público, en general",
                 online_url='https://example.org/?a="b"', starts_at=now,
                 registration_url="https://example.org/registro",
                 commission=CommissionFactory(name="Comisión «de Vinculación»"))
    EventFactory(title="Sin fin ni sede", venue="", state="", starts_at=now, ends_at=None)
    EventFactory(title="=2+3", venue="@sala", audience="-todos", organizers=[itei],
                 starts_at=now + dt.timedelta(days=400))


def test_events_json_fast_path_writes_what_the_encoder_writes(infoem, itei):
    """``eventos.json`` is written without the JSON encoder; it must be byte for byte the
    document the encoder writes from the rows (escapes, empty values, labels, lists)."""
    import dataclasses

    from django.core.serializers.json import DjangoJSONEncoder

    from hub import opendata
    from network.datasets import event_json_rows, event_rows

    _awkward_events(infoem, itei)
    encode = DjangoJSONEncoder(ensure_ascii=False).encode
    assert list(event_json_rows()) == [encode(row) for row in event_rows()]
    dataset = opendata.get_dataset("eventos")
    generic = dataclasses.replace(dataset, json_rows=None)
    assert opendata._json_body(dataset) == opendata._json_body(generic)
    assert json.loads(opendata._json_body(dataset))["count"] == 3


def test_events_csv_fast_path_writes_what_the_generic_writer_writes(infoem, itei):
    import dataclasses

    from hub import opendata

    _awkward_events(infoem, itei)
    dataset = opendata.get_dataset("eventos")
    generic = dataclasses.replace(dataset, csv_lines=None)
    fast = opendata._csv_body(dataset)
    assert fast == opendata._csv_body(generic)
    rows = list(csv.DictReader(io.StringIO(fast.decode("utf-8-sig"))))
    assert [r["titulo"] for r in rows] == ['Foro "datos" \\ abiertos — «acceso» ñ',
                                           "Sin fin ni sede", "'=2+3"]
    assert rows[2]["sede"] == "'@sala" and rows[2]["publico"] == "'-todos"
    assert rows[0]["organizadores"] in ("INFOEM; ITEI", "ITEI; INFOEM")


def test_a_new_day_in_mexico_city_renews_every_answer_that_depends_on_the_date(
        client, monkeypatch, infoem):
    """Nothing changes in the data, only the day: an institution's term ends, an agreement
    falls due, an event leaves the feed's 90-day window. A poller holding yesterday's copy
    gets today's (a new ETag, so a new cached body), never a 304 or yesterday's body."""
    from django.utils import timezone

    from network.ical import DEFAULT_DAYS_BACK
    from tests.factories import InstitutionFactory

    # 23:30 in Mexico City (05:30 UTC the next day): the date is still Mexico City's.
    evening = dt.datetime(2026, 3, 10, 23, 30, tzinfo=timezone.get_default_timezone())
    monkeypatch.setattr(timezone, "now", lambda: evening.astimezone(dt.UTC))
    InstitutionFactory(acronym="ITPFIN", valid_until=dt.date(2026, 3, 10))
    AgreementFactory(title="Convenio que vence hoy", valid_until=dt.date(2026, 3, 10))
    window_start = evening - dt.timedelta(days=DEFAULT_DAYS_BACK)
    EventFactory(title="Foro en el borde", starts_at=window_start.replace(hour=12),
                 ends_at=window_start.replace(hour=13))
    copies = {url: client.get(url) for url in ("/datos/instituciones.json",
                                                "/datos/convenios.json", "/calendario.ics")}
    vigente = {r["siglas"]: r["vigente"]
               for r in json.loads(body(copies["/datos/instituciones.json"]))["results"]}
    assert vigente["ITPFIN"] is True
    assert b"Foro en el borde" in body(copies["/calendario.ics"])

    monkeypatch.setattr(timezone, "now", lambda: (evening + dt.timedelta(hours=1)).astimezone(dt.UTC))
    answers = {url: client.get(url, HTTP_IF_NONE_MATCH=copy["ETag"])
               for url, copy in copies.items()}
    for url, answer in answers.items():
        assert answer.status_code == 200, url
        assert answer["ETag"] != copies[url]["ETag"], url
    vigente = {r["siglas"]: r["vigente"]
               for r in json.loads(body(answers["/datos/instituciones.json"]))["results"]}
    assert vigente["ITPFIN"] is False
    agreement = json.loads(body(answers["/datos/convenios.json"]))["results"][0]
    assert agreement["vencido"] is True
    assert b"Foro en el borde" not in body(answers["/calendario.ics"])


@pytest.mark.parametrize("value", [
    None, "", "plain", "a,b", 'say "hi"', "two\nlines", "cr\ronly", "=SUM(A1)", " +1", "\u00a0-2",
    "@x,y", "\uff1dformula", "'quoted", "tab\tinside", "«Jaime Torres Bodet», planta baja",
])
def test_a_prepared_csv_cell_is_what_the_generic_writer_writes(value):
    """``csv_cell`` (the fast path of ``eventos.csv``) writes a text cell as the generic path
    does: ``_csv_value`` (formulas neutralised) and then the CSV writer's quoting."""
    from hub.opendata import _csv_value, csv_cell

    out = io.StringIO()
    csv.writer(out).writerow([_csv_value(value), "x"])
    assert csv_cell(value) + ",x\r\n" == out.getvalue()
