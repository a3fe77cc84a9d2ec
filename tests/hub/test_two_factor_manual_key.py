"""Enrolling a second factor by typing the key, for someone whose phone cannot scan the QR."""

import base64
import re
from urllib.parse import parse_qs, urlparse

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db


def _typed_key(html: str) -> str:
    match = re.search(r"<code[^>]*>([^<]+)</code>", html)
    assert match, "the setup page shows no key to type"
    return match.group(1)


def test_the_key_to_type_is_the_base32_one_authenticator_apps_accept(client, coordinator):
    client.force_login(coordinator)
    page = client.get("/admin/2fa/configurar/").content.decode()
    typed = _typed_key(page)
    # Authenticator apps (Google Authenticator, Aegis, Microsoft Authenticator, FreeOTP) take
    # a typed key in base32 only; spaces between groups are allowed and ignored.
    compact = typed.replace(" ", "")
    assert re.fullmatch(r"[A-Z2-7]+", compact), typed
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    secret_in_qr = parse_qs(urlparse(device.config_url).query)["secret"][0]
    assert compact == secret_in_qr.rstrip("=")
    # The code the app computes from the typed key activates the device.
    key = base64.b32decode(compact + "=" * (-len(compact) % 8))
    code = f"{TOTP(key, device.step, device.t0, device.digits).token():06d}"
    response = client.post("/admin/2fa/configurar/", {"code": code})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert "hexadecimal" not in page
