"""The language switcher is a plain link: no form, no CSRF cookie, no open redirect."""

import pytest


def test_choosing_english_keeps_the_choice_and_returns_to_the_page(client, site):
    response = client.get("/idioma/en/?next=/calendario/%3Fvista%3Dlista")
    assert response.status_code == 302 and response["Location"] == "/calendario/?vista=lista"
    assert response.cookies["django_language"].value == "en"
    assert 'lang="en"' in client.get("/").content.decode()
    client.get("/idioma/es-mx/?next=/")
    assert 'lang="es-MX"' in client.get("/").content.decode()


def test_the_footer_offers_links_not_a_form(client, site):
    html = client.get("/calendario/").content.decode()
    assert 'href="/idioma/en/?next=%2Fcalendario%2F"' in html
    assert "set_language" not in html and "/i18n/setlang/" not in html


@pytest.mark.parametrize("target", ["https://ejemplo.com/", "//ejemplo.com/", "/\\ejemplo.com",
                                    "http:/ejemplo.com", "javascript:alert(1)", ""])
def test_next_outside_the_site_goes_home(client, db, target):
    response = client.get("/idioma/en/", {"next": target})
    assert response.status_code == 302 and response["Location"] == "/"


def test_an_unknown_language_is_a_spanish_404_and_sets_nothing(client, db):
    response = client.get("/idioma/fr/?next=/")
    assert response.status_code == 404
    assert "Ese idioma no está disponible" in response.content.decode()
    assert not response.cookies


def test_the_switch_is_never_cached_and_refuses_posts(client, db, settings):
    settings.ENLACE_PAGE_CACHE_SECONDS = 600
    assert "no-store" in client.get("/idioma/en/?next=/")["Cache-Control"]
    assert "X-Cache" not in client.get("/idioma/en/?next=/")
    assert client.post("/idioma/en/", {"next": "/"}).status_code == 405
