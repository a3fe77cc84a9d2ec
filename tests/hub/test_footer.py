"""Every public page's footer leads to the open-government tools, the page-based ones
(library of good practices, quarterly reports) wherever editors put them."""

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db


def _footer(client) -> str:
    html = client.get("/").content.decode()
    return html[html.index('id="footer-open-government"'):]


def test_the_footer_links_every_tool(client, site):
    footer = _footer(client)
    for path in ("/autodiagnostico-gobierno-abierto/", "/hojas-de-ruta/", "/agendas/",
                 "/estadisticas/"):
        assert f'href="{path}"' in footer
    assert "Buenas prácticas" not in footer  # no library page yet


def test_the_library_appears_once_it_exists(client, site):
    from hub.models import PracticeLibraryPage

    site.add_child(instance=PracticeLibraryPage(title="Prácticas", slug="practicas-de-la-red"))
    cache.clear()
    footer = _footer(client)
    assert 'href="/practicas-de-la-red/">Buenas prácticas' in footer


def test_the_magazine_and_the_booklets_are_reached_from_every_page(client, site):
    """Nothing on the site led to the magazine's archive (/mexico-transparente/) or to the
    booklets by series (/cuadernillos/): not the header, not the footer, not a booklet's own
    page; the home page showed only the current issue and the current edition."""
    from tests.publications import factories as f

    f.magazine(site)
    f.booklet_index(site, title="Cuadernillos «Los ABC»", slug="cuadernillos")
    cache.clear()
    html = client.get("/").content.decode()
    footer = html[html.index('id="footer-publications"'):]
    assert 'href="/mexico-transparente/">Revista «México Transparente»' in footer
    assert 'href="/cuadernillos/">Cuadernillos «Los ABC»' in footer
    client.cookies["django_language"] = "en"
    html = client.get("/").content.decode()
    assert "“México Transparente” journal" in html and "“Los ABC” booklets" in html
