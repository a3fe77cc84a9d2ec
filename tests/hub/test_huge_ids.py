"""An id that no database column can hold (2**63, 30 digits) in any URL is a plain 404 for
every visitor, never a 500 from PostgreSQL refusing the value."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

HUGE = [str(2**63), "9" * 30]

PUBLIC = [
    "/publicaciones/archivo/{id}/v1/a.pdf",
    "/publicaciones/archivo/1/v{id}/a.pdf",
    "/publicaciones/articulos/{id}/cita.bib",
    "/publicaciones/articulos/{id}/cita.ris",
]
ADMIN = [
    "/admin/campanas/envios/{id}/reintentar/",
    "/admin/campanas/publicaciones/{id}/informe/",
    "/admin/campanas/canales/{id}/probar/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("huge", HUGE)
@pytest.mark.parametrize("url", PUBLIC)
def test_a_huge_id_in_a_public_url_is_not_found(client, site, url, huge):
    assert client.get(url.format(id=huge)).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("huge", HUGE)
@pytest.mark.parametrize("url", ADMIN)
def test_a_huge_id_in_an_admin_url_is_not_found(coordinator_client, url, huge):
    assert coordinator_client.get(url.format(id=huge)).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("huge", HUGE)
def test_a_huge_id_in_the_api_is_not_found(officer, huge):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + Token.objects.create(user=officer).key)
    assert client.get(f"/api/posts/{huge}/").status_code == 404


@pytest.mark.parametrize("value", ["²", "¹²", "٣"])
def test_publication_admin_ids_in_other_digits_are_not_a_server_error(coordinator, value):
    """``str.isdigit`` accepts superscripts that ``int`` refuses: such ids match nothing."""
    from django.test import Client

    client = Client(raise_request_exception=False)
    client.force_login(coordinator)
    assert client.get("/admin/archivos-publicados/", {"pagina": value}).status_code == 200
    response = client.post("/admin/publicaciones/convocatorias/", {"entry": value, "issue": value})
    assert response.status_code == 302
