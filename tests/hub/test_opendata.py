import csv
import io

import pytest

from tests.factories import AgreementFactory, EventFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_index_lists_every_dataset_with_its_schema(client):
    html = client.get("/datos/").content.decode()
    for name in ("instituciones", "eventos", "convenios"):
        assert f"/datos/{name}.json" in html and f"/datos/{name}.csv" in html


def test_instituciones_json_has_spanish_fields(client):
    data = client.get("/datos/instituciones.json").json()
    assert data["count"] == len(data["results"]) == 34  # 33 current + the dissolved INAI
    infoem = next(r for r in data["results"] if r["siglas"] == "INFOEM")
    assert infoem["entidad"] == "Estado de México"
    assert infoem["region"] == "Centro"
    assert infoem["vigente"] is True
    inai = next(r for r in data["results"] if r["siglas"] == "INAI")
    assert inai["vigente"] is False
    assert {"nombre", "siglas", "entidad", "region", "vigente"} <= set(infoem)


def test_csv_matches_json(client):
    response = client.get("/datos/instituciones.csv")
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    json_rows = client.get("/datos/instituciones.json").json()["results"]
    assert [r["siglas"] for r in rows] == [r["siglas"] for r in json_rows]
    assert rows[0].keys() >= {"nombre", "siglas", "entidad", "region", "vigente"}


def test_events_and_agreements_datasets(client, infoem):
    person = PersonFactory(institution=infoem, email="responsable@privado.example")
    EventFactory(title="Foro abierto", organizers=[infoem])
    EventFactory(title="Foro en borrador", organizers=[infoem], live=False)
    AgreementFactory(title="Convenio público", institutions=[infoem], responsible=[person])
    AgreementFactory(title="Convenio reservado", is_public=False)
    events = client.get("/datos/eventos.json").json()["results"]
    assert [e["titulo"] for e in events] == ["Foro abierto"]
    assert events[0]["organizadores"] == ["INFOEM"]
    assert events[0]["inicio"].endswith("-06:00")  # Mexico City time
    body = client.get("/datos/convenios.json").content.decode()
    assert "Convenio público" in body and "Convenio reservado" not in body


def test_personal_data_never_appears_in_open_data(client, infoem):
    PersonFactory(institution=infoem, name="Nombre Privado", email="secreto@privado.example",
                  phone="55 9999 0000")
    AgreementFactory(institutions=[infoem])
    for name in ("instituciones", "eventos", "convenios"):
        json_body = client.get(f"/datos/{name}.json").content.decode()
        csv_body = b"".join(client.get(f"/datos/{name}.csv").streaming_content).decode()
        for secret in ("secreto@privado.example", "Nombre Privado", "55 9999 0000"):
            assert secret not in json_body and secret not in csv_body


def test_unknown_dataset_is_404(client):
    assert client.get("/datos/nada.json").status_code == 404


def test_schema_documents_each_field(client):
    schema = client.get("/datos/eventos/esquema.json").json()
    names = [f["nombre"] for f in schema["campos"]]
    assert names[:3] == ["id", "titulo", "tipo"]
    assert all(f["descripcion"] for f in schema["campos"])


def test_every_public_schema_speaks_one_type_vocabulary(client):
    """Frictionless Table Schema types everywhere: no "texto" in one dataset, "string" in another."""
    allowed = {"string", "integer", "number", "boolean", "date", "datetime", "array"}
    from hub.opendata import datasets

    names = {d.name for d in datasets()}
    assert {"instituciones", "eventos", "convenios"} <= names
    for name in names:
        schema = client.get(f"/datos/{name}/esquema.json").json()
        assert {f["tipo"] for f in schema["campos"]} <= allowed, name
    urls = [f for f in client.get("/datos/eventos/esquema.json").json()["campos"]
            if f["nombre"] == "url"]
    assert urls == [{"nombre": "url", "tipo": "string", "formato": "uri",
                     "descripcion": "Página del evento"}]


def test_field_refuses_an_unknown_type():
    from hub.opendata import Field, FieldType

    assert Field("x", "texto", "legacy").type is FieldType.STRING
    with pytest.raises(ValueError):
        Field("x", "cadena", "no")


def test_the_events_dataset_links_each_event_and_names_its_labels(client):
    from django.conf import settings

    event = EventFactory(kind="foro", state="MEX")
    rows = {r["id"]: r for r in client.get("/datos/eventos.json").json()["results"]}
    row = rows[event.pk]
    assert row["url"] == settings.WAGTAILADMIN_BASE_URL.rstrip("/") + event.get_absolute_url()
    assert row["tipo"] == event.get_kind_display()
    assert row["entidad"] == event.get_state_display()
