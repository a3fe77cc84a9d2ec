import pytest


@pytest.mark.django_db
def test_home_page_is_spanish_with_privacy_notice_in_footer(client, site):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="es-MX"' in html
    assert "Aviso de privacidad" in html
    assert "/aviso-de-privacidad/" in html
