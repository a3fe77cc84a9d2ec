import os
import subprocess
import sys
from pathlib import Path

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from network import rules
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def _login(client, username, password):
    return client.post("/admin/login/", {"username": username, "password": password})


def _totp_now(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def test_staff_login_is_locked_after_repeated_failures(client, coordinator):
    for _ in range(5):
        _login(client, coordinator.username, "equivocada")
    response = _login(client, coordinator.username, "clave-de-prueba-123")
    assert response.status_code == 429
    assert "bloqueado temporalmente" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_successful_login_reaches_the_dashboard(client, coordinator):
    response = _login(client, coordinator.username, "clave-de-prueba-123")
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_enrolled_user_must_enter_a_code_after_the_password(client, coordinator):
    device = TOTPDevice.objects.create(user=coordinator, name="teléfono", confirmed=True)
    _login(client, coordinator.username, "clave-de-prueba-123")
    response = client.get("/admin/snippets/network/person/")
    assert response.status_code == 302 and "/admin/2fa/verificar/" in response["Location"]
    wrong = client.post("/admin/2fa/verificar/", {"code": "000000"})
    assert "El código no es correcto" in wrong.content.decode()
    again = client.post("/admin/2fa/verificar/", {"code": _totp_now(device)})
    assert "Demasiados intentos" in again.content.decode()  # django-otp throttles guessing
    device.refresh_from_db()
    device.throttle_reset()
    ok = client.post("/admin/2fa/verificar/", {"code": _totp_now(device),
                                               "next": "/admin/snippets/network/person/"})
    assert ok.status_code == 302 and ok["Location"] == "/admin/snippets/network/person/"
    assert client.get("/admin/snippets/network/person/").status_code == 200


def test_coordination_must_enrol_when_two_factor_is_required(client, coordinator, settings):
    settings.ENLACE_REQUIRE_2FA = True
    client.force_login(coordinator)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/2fa/configurar/" in response["Location"]
    setup = client.get("/admin/2fa/configurar/")
    assert "<svg" in setup.content.decode()
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    client.post("/admin/2fa/configurar/", {"code": _totp_now(device)})
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200


def test_officers_are_not_forced_to_enrol(client, officer, settings):
    settings.ENLACE_REQUIRE_2FA = True
    client.force_login(officer)
    assert client.get("/admin/").status_code == 200


def test_two_factor_setup_refuses_a_wrong_code(client, officer):
    client.force_login(officer)
    client.get("/admin/2fa/configurar/")
    response = client.post("/admin/2fa/configurar/", {"code": "12ab56"})
    assert "solo números" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=officer, confirmed=True).exists()


def test_open_redirects_are_refused_after_verification(client, coordinator):
    device = TOTPDevice.objects.create(user=coordinator, name="t", confirmed=True)
    client.force_login(coordinator)
    response = client.post("/admin/2fa/verificar/", {"code": _totp_now(device),
                                                     "next": "https://evil.example/"})
    assert response["Location"] == "/admin/"


def test_roles_exist_with_least_privilege():
    from django.contrib.auth.models import Group

    names = set(Group.objects.values_list("name", flat=True))
    assert {rules.COORDINATION, rules.COMMUNICATIONS, rules.EDITORIAL, rules.JURY} <= names
    officer = UserFactory(groups=[rules.COMMUNICATIONS])
    assert officer.has_perm("network.change_person")
    assert not officer.has_perm("network.delete_institution")
    assert not officer.has_perm("network.add_importbatch")
    juror = UserFactory(groups=[rules.JURY])
    assert not juror.has_perm("wagtailadmin.access_admin")


def test_production_settings_pass_check_deploy(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "hub.settings.production",
        "SECRET_KEY": "x" * 20 + "-production-secret-for-the-check-deploy-test-" + "y" * 20,
        "ALLOWED_HOSTS": "enlace.example.org",
        "ENLACE_CREDENTIALS_KEYS": "a-separate-key-for-channel-credentials",
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        "ENLACE_DATA_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update({"DJANGO_SETTINGS_MODULE": "hub.settings.production",
                "ALLOWED_HOSTS": "enlace.example.org", "ENLACE_DATA_DIR": str(tmp_path)})
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_a_credentials_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "ENLACE_CREDENTIALS_KEYS"}
    env.update({"DJANGO_SETTINGS_MODULE": "hub.settings.production",
                "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "enlace.example.org",
                "ENLACE_DATA_DIR": str(tmp_path)})
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "ENLACE_CREDENTIALS_KEYS" in result.stderr


def test_demo_accounts_are_refused_under_production_settings(tmp_path):
    env = {**{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
           "DJANGO_SETTINGS_MODULE": "hub.settings.production",
           "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "enlace.example.org",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
           "ENLACE_DATA_DIR": str(tmp_path),
           "ENLACE_CREDENTIALS_KEYS": "a-separate-key-for-channel-credentials"}
    result = subprocess.run([sys.executable, "manage.py", "bootstrap", "--demo"], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "solo se permiten en desarrollo" in result.stderr
    assert "Traceback" not in result.stderr


def test_demo_is_allowed_in_development_settings():
    from hub.management.commands.bootstrap import demo_allowed

    assert demo_allowed()  # the test settings count as development
