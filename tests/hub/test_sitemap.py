"""/sitemap.xml and /robots.txt: search engines and indexes (Latindex, Redalyc) find every
public address, and never a draft, a restricted page, an unpublished event or an unawarded
work; addresses are on the host the visitor used."""

import xml.etree.ElementTree as ET

import pytest
from wagtail.models import PageViewRestriction

from contests.domain.results import publish_results
from contests.models import ResultsPublication
from hub import pagecache
from hub.models import StandardPage
from tests.contests.factories import AwardFactory, CallFactory, EntryFactory
from tests.factories import EventFactory, VideoCapsuleFactory

pytestmark = pytest.mark.django_db
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def _locations(client, path="/sitemap.xml", **extra) -> list[str]:
    response = client.get(path, **extra)
    assert response.status_code == 200, path
    assert response["Content-Type"].startswith("application/xml")
    return [node.text for node in ET.fromstring(response.content).findall(".//s:loc", NS)]


def _every_location(client, **extra) -> set[str]:
    """The index's sitemaps, each read in turn: every address listed."""
    found = set()
    for section in _locations(client, **extra):
        assert "/sitemap-" in section, section
        found |= set(_locations(client, "/" + section.split("/", 3)[3], **extra))
    return found


def test_lists_public_pages_and_rows_and_nothing_private(client, site, infoem):
    public = site.add_child(instance=StandardPage(title="Nota pública", slug="nota"))
    hidden = site.add_child(instance=StandardPage(title="Nota con contraseña", slug="privada"))
    hidden.add_child(instance=StandardPage(title="Debajo de la privada", slug="debajo"))
    site.add_child(instance=StandardPage(title="Borrador", slug="borrador", live=False))
    PageViewRestriction.objects.create(page=hidden, restriction_type="password", password="x")
    event = EventFactory(title="Foro abierto", organizers=[infoem])
    draft_event = EventFactory(title="Foro en preparación", live=False)
    capsule = VideoCapsuleFactory(title="Cápsula pública")
    hidden_capsule = VideoCapsuleFactory(title="Cápsula oculta", live=False)

    found = _every_location(client)
    base = "http://testserver"
    assert {base + "/", base + public.url, base + "/instituciones/",
            base + "/instituciones/infoem/", base + event.get_absolute_url(),
            base + capsule.get_absolute_url(), base + "/calendario/", base + "/datos/",
            base + "/acervo/", base + "/concursos/"} <= found
    for private in ("/privada/", "/privada/debajo/", "/borrador/",
                    draft_event.get_absolute_url(), hidden_capsule.get_absolute_url()):
        assert not any(location.endswith(private) for location in found), private


def test_awarded_works_appear_once_their_results_are_published(client, site):
    call = CallFactory(phase="results")
    ResultsPublication.objects.filter(call=call).delete()  # judged, not yet published
    entry = EntryFactory(category=call.categories.first(), title="Spot premiado")
    AwardFactory(entry=entry, place=1)
    assert not any("/acervo/" + entry.folio in loc for loc in _every_location(client))
    publish_results(call)
    entry.refresh_from_db()
    assert f"http://testserver/acervo/{entry.folio}/" in _every_location(client)


def test_addresses_use_the_host_of_the_request_not_the_sites_hostname(client, site, settings):
    settings.ALLOWED_HOSTS = ["transparencia.example.org"]
    found = _every_location(client, HTTP_HOST="transparencia.example.org", secure=True)
    assert "https://transparencia.example.org/" in found
    assert all(loc.startswith("https://transparencia.example.org/") for loc in found)


def test_unknown_sections_and_pages_are_not_found_in_spanish(client, site):
    for path, status in (("/sitemap-nada.xml", 404), ("/sitemap-eventos.xml?p=9999", 404),
                         ("/sitemap-eventos.xml?p=abc", 404), ("/sitemap-eventos.xml?p=%00", 400),
                         ("/sitemap-eventos.xml?p=9223372036854775808", 404),
                         ("/sitemap-eventos.xml?p=-1", 404), ("/sitemap-eventos.xml?p=%01", 400),
                         ("/sitemap-eventos.xml?p=²", 404)):
        response = client.get(path)
        assert response.status_code == status, path
        assert "lang=\"es-MX\"" in response.content.decode()
    assert client.post("/sitemap.xml").status_code == 405


def test_the_sitemap_is_cached_and_purged_like_the_pages(client, site, settings):
    settings.ENLACE_PAGE_CACHE_SECONDS = 600
    pagecache.store().clear()
    path = "/sitemap-paginas.xml"
    assert client.get(path)["X-Cache"] == "miss"
    assert client.get(path)["X-Cache"] == "hit"
    page = site.add_child(instance=StandardPage(title="Nota nueva", slug="nota-nueva"))
    page.save_revision().publish()
    response = client.get(path)
    assert response["X-Cache"] == "miss" and b"/nota-nueva/" in response.content


def test_robots_keeps_crawlers_out_of_private_areas_and_points_to_the_sitemap(client, site):
    response = client.get("/robots.txt", secure=True)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    for path in ("/admin/", "/cuentas/", "/api/", "/jurado/", "/concursos/participacion/"):
        assert f"Disallow: {path}" in lines
    assert "Disallow: /" not in lines
    assert "Sitemap: https://testserver/sitemap.xml" in lines


def test_long_sections_are_split_into_pages_that_list_every_row_once(client, site, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from network.sitemaps import EventSitemap

    monkeypatch.setattr(EventSitemap, "limit", 2)
    events = [EventFactory(title=f"Foro {i}") for i in range(5)]
    index = _locations(client)
    assert [loc for loc in index if "sitemap-eventos" in loc] == [
        "http://testserver/sitemap-eventos.xml", "http://testserver/sitemap-eventos.xml?p=2",
        "http://testserver/sitemap-eventos.xml?p=3"]
    listed = []
    for page in ("", "?p=2", "?p=3"):
        listed += _locations(client, "/sitemap-eventos.xml" + page)
    assert sorted(listed) == sorted("http://testserver" + e.get_absolute_url() for e in events)
    with CaptureQueriesContext(connection) as before:
        client.get("/sitemap.xml")
    EventFactory.create_batch(6)  # more rows and pages, the same queries
    client.get("/sitemap.xml")  # (the first after a change reads the site's shell again)
    with CaptureQueriesContext(connection) as after:
        client.get("/sitemap.xml")
    assert len(after) == len(before), [q["sql"][:150] for q in after.captured_queries]
