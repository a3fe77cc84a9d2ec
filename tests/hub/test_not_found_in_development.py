"""The quick start runs with DEBUG on, where Django answers an unknown address with its
technical page: English, desktop-wide, and listing the project's URL patterns. A new user
trying the product meets the site's own «Página no encontrada» there too."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/no-existe/", "/no-existe.txt", "/instituciones/no-existe/"])
def test_an_unknown_address_in_the_quick_start_is_the_sites_own_page(client, site, settings,
                                                                      path):
    settings.DEBUG = True
    response = client.get(path)
    html = response.content.decode()
    assert response.status_code == 404
    assert "Página no encontrada" in html and "Volver al inicio" in html
    assert "DEBUG = True" not in html and "URLconf" not in html


def test_in_english_too(client, site, settings):
    settings.DEBUG = True
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/no-existe/").content.decode()
    assert "Page not found" in html and "DEBUG = True" not in html
