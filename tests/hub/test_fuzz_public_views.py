"""Hostile input on every public view of the network and the hub: never a 500.

Each parameter a view reads gets each hostile value (NUL, quotes, huge and non-ASCII numbers,
dates out of range, very long strings, right-to-left overrides...), alone and with the others
valid. Runs on SQLite and on PostgreSQL (set ``DATABASE_URL``).
"""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import EventFactory, VideoCapsuleFactory
from tests.hub.statistics_factories import QuarterlyReportFactory

pytestmark = pytest.mark.django_db

HOSTILE = [
    "\x00", "a\x00b", "%00", '"', "'", '"hola', "hola'--", "\\", "*", "()", "<script>x</script>",
    "9" * 30, "9" * 5000, "-1", "0", "1e309", "NaN", "9223372036854775808", "١٢", "٢٠٢٦-١١",
    "１２", "1-1", "0-0", "9999-12", "0000-01", "2026-13", "9999-12-31", "0001-01-01",
    "2026-02-30", "x" * 10_000, "ñ" * 3000, "\u202egpj.exe", "\x1b[31m",
    "../../etc/passwd", "%", "_", "1;DROP TABLE x", " ",
]

VIEWS = {
    "/instituciones/": {"region": "centro", "entidad": "MEX", "historicas": "1"},
    "/calendario/": {"vista": "mes", "mes": "2026-11", "dia": "", "region": "centro",
                     "institucion": "infoem", "tipo": "foro", "pagina": "1"},
    "/calendario/?vista=lista": {"dia": "2026-11-26", "pagina": "2", "region": "centro",
                                 "institucion": "infoem", "tipo": "foro"},
    "/calendario.ics": {"region": "centro", "institucion": "infoem", "tipo": "foro"},
    "/capsulas/": {"entidad": "MEX", "comision": "comunicacion", "pagina": "1"},
    "/buscar/": {"q": "transparencia", "pagina": "1"},
    "/datos/": {},
    "/datos/eventos.json": {},
    "/datos/eventos.csv": {},
    "/estadisticas/": {"trimestre": "2025-T1", "cifra": "solicitudes_recibidas"},
    "/datos/estadisticas.json": {},
}
PATH_TEMPLATES = ["/instituciones/{}/", "/calendario/{}/", "/capsulas/{}/", "/capsulas/{}/embed/",
                  "/datos/{}.json", "/datos/{}.csv", "/datos/{}/esquema.json"]


@pytest.fixture
def robust_client(db, infoem):
    now = timezone.now()
    EventFactory(title="Foro 'con comillas' \"y más\"", organizers=[infoem],
                 starts_at=now + dt.timedelta(days=1),
                 registration_url="https://registro.example.org/")
    VideoCapsuleFactory(title='Cápsula "rara"', institution=infoem)
    QuarterlyReportFactory(institution=infoem, notes="=HYPERLINK(\"x\")")
    return Client(raise_request_exception=False)


def _get(client, url, params):
    base, _, preset = url.partition("?")
    query = dict(p.split("=", 1) for p in preset.split("&") if p)
    query.update(params)
    response = client.get(base, query)
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    return response


@pytest.mark.parametrize("url", list(VIEWS))
def test_no_public_view_answers_500_to_hostile_parameters(robust_client, url):
    failures = []
    valid = VIEWS[url]
    for name in list(valid) + ["q", "pagina"]:
        for value in HOSTILE:
            status = _get(robust_client, url, {**valid, name: value}).status_code
            if status >= 500:
                failures.append((name, value[:40], status))
    assert failures == []


def test_no_public_path_answers_500_to_hostile_slugs(robust_client):
    failures = []
    for template in PATH_TEMPLATES:
        for value in HOSTILE + ["infoem", "eventos"]:
            url = template.format(value.replace("/", "%2F").replace("?", "%3F")
                                  .replace("#", "%23"))
            status = robust_client.get(url).status_code
            if status >= 500:
                failures.append((url[:60], status))
    assert failures == []


@pytest.mark.parametrize("query", ["mes=1-1", "mes=9999-12", "vista=lista&dia=9999-12-31",
                                   "mes=0000-00", "mes=%D9%A2%D9%A0-1"])
def test_calendar_out_of_range_dates_get_a_spanish_message(client, query):
    response = client.get(f"/calendario/?{query}")
    assert response.status_code == 400
    body = response.content.decode()
    assert "El calendario abarca" in body or "debe escribirse como" in body


def test_search_with_a_lone_quote_explains_itself(client, site):
    response = client.get("/buscar/", {"q": '"'})
    assert response.status_code == 400
    assert "Escriba al menos una palabra" in response.content.decode()
    response = client.get("/buscar/", {"q": '"inicio'})
    assert response.status_code == 200


def test_nul_in_any_filter_gets_a_spanish_400(client):
    for url in ("/instituciones/?region=%00", "/calendario/?tipo=a%00", "/capsulas/?entidad=%00",
                "/buscar/?q=%00", "/datos/eventos.json?x=%00"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert "caracteres de control" in response.content.decode()


ADMIN_LISTINGS = {
    "institution": ["region", "kind", "state"],
    "person": ["institution", "role", "in_network", "is_public", "active"],
    "event": ["kind", "mode", "commission", "organizers", "live"],
    "videocapsule": ["institution", "commission", "state", "live"],
    "agreement": ["status", "institutions", "expired"],
    "ally": ["sector", "state"],
}


ADMIN_HOSTILE = ['"', "9" * 30, "\u0662\u0660", "x" * 3000, "-1"]


@pytest.mark.parametrize("model", list(ADMIN_LISTINGS))
def test_no_admin_listing_answers_500_to_hostile_filters(db, coordinator, officer, model):
    """Filters as an officer (the scoped listing); searches as both roles."""
    failures = []
    url = f"/admin/snippets/network/{model}/"
    for user in (officer, coordinator):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        names = ADMIN_LISTINGS[model] + ["p", "ordering"] if user == officer else []
        for name in names + ["q"]:
            for value in ADMIN_HOSTILE:
                status = client.get(url, {name: value}).status_code
                if status >= 500:
                    failures.append((user.username, name, value[:30], status))
    assert failures == []
