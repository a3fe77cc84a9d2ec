"""A method the public site does not take (PUT, DELETE, PATCH…) is a 405 page in Spanish that
says so, never Django's CSRF refusal («403 Forbidden»), the page itself, or an empty answer;
and nothing is changed by it."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

URLS = ["/", "/buscar/", "/instituciones/", "/datos/eventos.json", "/calendario.ics",
        "/autodiagnostico-gobierno-abierto/", "/oai/"]


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
@pytest.mark.parametrize("url", URLS)
def test_a_method_the_site_does_not_take_is_a_spanish_405(site, url, method):
    client = Client(enforce_csrf_checks=True)  # as a browser or a script meets the site
    response = getattr(client, method)(url)
    assert response.status_code == 405
    body = response.content.decode()
    assert "Método no permitido" in body and "no admite" in body
    assert set(response["Allow"].split(", ")) == {"GET", "HEAD", "POST"}


def test_a_405_from_a_view_that_takes_fewer_methods_gets_the_same_page(site):
    response = Client().post("/idioma/en/")  # GET only (with its CSRF token, as a form sends)
    assert response.status_code == 405
    assert "Método no permitido" in response.content.decode()
    assert response["Allow"] == "GET, HEAD"  # the view's own


def test_options_answers_the_methods_without_the_page(site):
    response = Client().options("/instituciones/")
    assert response.status_code == 200
    assert response.content == b""
    assert "GET" in response["Allow"]


def test_the_api_keeps_its_own_methods(site):
    response = Client().options("/api/posts/")
    assert response.status_code != 405 or "Método no permitido" not in response.content.decode()
    assert Client().delete("/api/posts/1/").status_code in (401, 403, 404)


MISSING = ["/no-existe-esta-pagina/", "/instituciones/no-existe/", "/datos/no-existe.json",
           "/publicaciones/archivo/999999/v1/no-existe.pdf"]


@pytest.mark.parametrize("method", ["options", "put", "delete", "patch"])
@pytest.mark.parametrize("url", MISSING)
def test_an_address_that_does_not_exist_is_a_404_whatever_the_method(site, url, method):
    """OPTIONS answered 200 (and PUT, DELETE… 405) at any address, as if every page existed: a
    scanner took the site for one that answers everything. Like a GET, it is the site's
    «Página no encontrada»."""
    assert Client().get(url).status_code == 404
    response = getattr(Client(enforce_csrf_checks=True), method)(url)
    assert response.status_code == 404
    assert "Página no encontrada" in response.content.decode()


def test_options_on_an_address_that_exists_counts_no_reading(site):
    """Whether an address exists is asked as a HEAD asks it: the reading pixel counts a
    reader for a GET only."""
    from publications.models.stats import ReadingCount
    from tests.publications import factories as f

    article = f.article(f.issue(f.magazine(site), title="Número 7", volume=1, number=7))
    browser = Client(HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0")
    for method in ("options", "put", "delete"):
        response = getattr(browser, method)(f"/publicaciones/visto/{article.pk}.gif")
        assert response.status_code == (200 if method == "options" else 405)
    assert not ReadingCount.objects.exists()
    assert browser.get(f"/publicaciones/visto/{article.pk}.gif").status_code == 200
    assert ReadingCount.objects.get().count == 1


NOT_FOUND_FORMS = ["/calendario/no-existe/registro/", "/calendario/no-existe/registro/enviado/",
                   "/participacion/mi-registro/no-es-un-token/",
                   "/participacion/encuesta/no-es-un-token/"]


@pytest.mark.parametrize("method", ["options", "put", "delete"])
@pytest.mark.parametrize("url", NOT_FOUND_FORMS)
def test_a_missing_event_or_a_wrong_link_is_a_404_whatever_the_method(site, url, method):
    """The pages of an event's registration and of a registration's link answered a GET's
    404 for a missing event or a wrong link, and 200 to OPTIONS (405 to PUT…) there: they
    refused the HEAD the site asks to tell a missing address."""
    assert Client().get(url).status_code == 404
    response = getattr(Client(enforce_csrf_checks=True), method)(url)
    assert response.status_code == 404
