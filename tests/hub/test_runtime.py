"""The product keeps running: supervised processes, default URLs, files only their owner reads."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.mail import get_connection, send_mail

import dev
from tests.workers import wait_for

ROOT = Path(__file__).resolve().parents[2]
SLEEPER = [sys.executable, "-c", "import time; time.sleep(600)"]


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def supervisor():
    messages = []
    sup = dev.Supervisor(log=messages.append, pause=0.05, max_pause=0.2, healthy_after=60)
    sup.messages = messages
    yield sup
    sup.stop(timeout=5)


def test_a_child_that_dies_is_started_again_and_the_others_keep_running(supervisor):
    supervisor.add("worker", SLEEPER)
    supervisor.add("web", SLEEPER)
    worker, web = supervisor.pid("worker"), supervisor.pid("web")
    os.killpg(worker, signal.SIGKILL)

    def restarted():
        supervisor.check()
        return supervisor.children["worker"]["proc"] is not None and supervisor.pid("worker") != worker

    assert wait_for(restarted, 30)
    assert supervisor.pid("web") == web and supervisor.children["web"]["proc"].poll() is None
    assert supervisor.restarts == 1
    assert supervisor.messages == [f"worker terminó (código {-signal.SIGKILL}); se reinicia en 0 s"]


def test_a_child_that_keeps_crashing_is_retried_without_stopping_the_rest(supervisor):
    supervisor.add("beat", [sys.executable, "-c", "raise SystemExit(1)"])
    supervisor.add("web", SLEEPER)
    web = supervisor.pid("web")

    def retried_three_times():
        supervisor.check()
        return supervisor.restarts >= 3

    assert wait_for(retried_three_times, 60)
    assert supervisor.children["beat"]["failures"] >= 3
    assert supervisor.pid("web") == web and supervisor.children["web"]["proc"].poll() is None


def test_stop_ends_each_child_with_its_process_group(supervisor):
    # A child with a grandchild, as a prefork worker has its pool processes.
    supervisor.add("worker", [sys.executable, "-c",
                              "import subprocess, sys, time; "
                              "p = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)']); "
                              "print(p.pid, flush=True); time.sleep(600)"], stdout=subprocess.PIPE)
    grandchild = int(supervisor.children["worker"]["proc"].stdout.readline())
    supervisor.stop(timeout=5)
    supervisor.children["worker"]["proc"].stdout.close()

    def gone():
        try:
            os.kill(grandchild, 0)
        except ProcessLookupError:
            return True
        # a zombie waiting for init to reap it counts as gone
        return Path(f"/proc/{grandchild}/stat").read_text().split()[2] == "Z"

    assert wait_for(gone, 10)


def _dev_setting(tmp_path, expression: str, **env) -> str:
    environment = {k: v for k, v in os.environ.items()
                   if k not in {"SITE_BASE_URL", "ENLACE_HOST", "ENLACE_PORT", "DATABASE_URL"}}
    environment.update({"DJANGO_SETTINGS_MODULE": "hub.settings.dev",
                        "ENLACE_DATA_DIR": str(tmp_path), **env})
    code = f"import django; django.setup(); from django.conf import settings; print({expression})"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environment, text=True,
                          capture_output=True, check=True).stdout.strip()


def test_links_in_mails_follow_the_port_the_product_is_started_on(tmp_path):
    assert _dev_setting(tmp_path, "settings.WAGTAILADMIN_BASE_URL",
                        ENLACE_PORT="8123") == "http://127.0.0.1:8123"
    assert _dev_setting(tmp_path, "settings.WAGTAILADMIN_BASE_URL", ENLACE_HOST="0.0.0.0",
                        ENLACE_PORT="9000", SITE_BASE_URL="https://enlace.example.org/"
                        ) == "https://enlace.example.org"


def test_the_development_database_is_readable_by_its_owner_only(tmp_path):
    old = os.umask(0o022)
    try:
        _dev_setting(tmp_path, "settings.DATABASES['default']['NAME']")
    finally:
        os.umask(old)
    assert _mode(tmp_path / "enlace.sqlite3") == 0o600
    assert _mode(tmp_path / "uploads") == 0o700
    assert _mode(tmp_path / "broker" / "queue") == 0o700


def test_mail_files_are_readable_by_their_owner_only(tmp_path):
    backend = _dev_setting(tmp_path, "settings.EMAIL_BACKEND")  # with no EMAIL_HOST
    old = os.umask(0o022)
    try:
        connection = get_connection(backend, file_path=str(tmp_path / "mail"))
        send_mail("Confirme su correo", "Enlace: https://x/confirmar/abc", None,
                  ["participante@example.org"], connection=connection)
    finally:
        os.umask(old)
    files = list((tmp_path / "mail").iterdir())
    assert len(files) == 1 and "confirmar/abc" in files[0].read_text()
    assert _mode(files[0]) == 0o600
    assert _mode(tmp_path / "mail") == 0o700


def test_entrants_files_are_readable_by_their_owner_only():
    storage = storages["contests"]
    old = os.umask(0o022)
    try:
        name = storage.save("pruebas/2026/spot.wav", ContentFile(b"RIFF" + b"\0" * 64))
    finally:
        os.umask(old)
    try:
        assert _mode(storage.path(name)) == 0o600
        assert _mode(Path(storage.path(name)).parent) == 0o700
    finally:
        storage.delete(name)
