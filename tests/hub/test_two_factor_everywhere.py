"""The second factor guards every staff-only view, not only /admin/ (contests, campaigns, API)."""

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

PASSWORD = "clave-de-prueba-123"
STAFF_ONLY = [
    "/concursos/archivo/1/",  # an entrant's original file
    "/jurado/deliberacion/1/",  # the jury's deliberation
    "/api/posts/",  # the API, used with the session
    "/api/channels/",
    "/admin/snippets/campaigns/post/",  # campaigns admin
    "/admin/snippets/network/person/export/?export=csv",  # an export
    "/admin/tablero/cifras.csv",  # the dashboard's figures
]


def _code(device):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


@pytest.fixture
def half_signed_in(client, coordinator):
    """Coordinación after the password, before the code."""
    device = TOTPDevice.objects.create(user=coordinator, name="teléfono", confirmed=True)
    response = client.post("/admin/login/", {"username": coordinator.username,
                                             "password": PASSWORD})
    assert response.status_code == 302
    return client, device


@pytest.mark.parametrize("url", STAFF_ONLY)
def test_password_alone_opens_no_staff_view(half_signed_in, url):
    client, _device = half_signed_in
    response = client.get(url)
    assert response.status_code == 302, url
    assert response["Location"].startswith("/admin/2fa/verificar/?next=")


def test_password_alone_cannot_enrol_another_device(half_signed_in):
    client, _device = half_signed_in
    response = client.get("/admin/2fa/configurar/")
    assert response.status_code == 302 and "/admin/2fa/verificar/" in response["Location"]
    assert TOTPDevice.objects.filter(confirmed=False).count() == 0


def test_public_pages_stay_open_and_show_nothing_staff_only(half_signed_in):
    client, _device = half_signed_in
    response = client.get("/instituciones/")
    assert response.status_code == 200
    assert "/admin/" not in response.content.decode()  # no userbar: anonymous until the code


def test_after_the_code_the_same_views_answer_normally(half_signed_in):
    client, device = half_signed_in
    assert client.post("/admin/2fa/verificar/", {"code": _code(device)}).status_code == 302
    assert client.get("/jurado/deliberacion/999999/").status_code == 404  # no such call
    assert client.get("/admin/snippets/campaigns/post/").status_code == 200


def test_required_but_not_enrolled_is_sent_to_enrol(client, coordinator, settings):
    settings.ENLACE_REQUIRE_2FA = True
    client.force_login(coordinator)
    response = client.get("/jurado/deliberacion/1/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/2fa/configurar/?next=")
    assert client.get("/admin/2fa/configurar/").status_code == 200


def test_signing_out_works_before_the_code(half_signed_in):
    client, _device = half_signed_in
    client.post("/admin/logout/")
    assert "_auth_user_id" not in client.session


def test_users_without_second_factor_are_untouched(officer_client):
    assert officer_client.get("/admin/snippets/network/person/").status_code == 200
