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
from tests.workers import free_port, start_redis, wait_for

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
    # The embedded defaults, whatever this test run was started with (CI's second pass sets
    # PostgreSQL and Redis).
    environment = {k: v for k, v in os.environ.items()
                   if k not in {"SITE_BASE_URL", "ENLACE_HOST", "ENLACE_PORT", "DATABASE_URL",
                                "CELERY_BROKER_URL", "CELERY_BROKER_FOLDER", "REDIS_URL",
                                "EMAIL_HOST", "FILE_UPLOAD_TEMP_DIR", "ENLACE_PRIVATE_ROOT"}}
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
    data = tmp_path / "var"  # a first run: the folder does not exist yet
    old = os.umask(0o022)
    try:
        _dev_setting(data, "settings.DATABASES['default']['NAME']")
    finally:
        os.umask(old)
    assert _mode(data / "enlace.sqlite3") == 0o600
    assert _mode(data / "uploads") == 0o700
    assert _mode(data / "broker" / "queue") == 0o700


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


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_worker_and_beat_ride_out_broker_restarts(reference_data, fake_telegram, fake_x, tmp_path):
    """The README's worker and beat commands, on Redis, through two Redis restarts."""
    from campaigns.enums import DeliveryState
    from campaigns.models import Delivery
    from hub.celery import app
    from network.models import Institution
    from tests.campaigns.conftest import make_channel, publish_post
    from tests.factories import UserFactory
    from tests.workers import database_url

    infoem = Institution.objects.get(acronym="INFOEM")
    author = UserFactory(username="oficial", groups=["Comunicación"])
    channels = [make_channel("telegram", infoem), make_channel("x", infoem)]
    port = free_port()
    broker = f"redis://127.0.0.1:{port}/0"
    redis = start_redis(port)
    env = {**{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
           "DJANGO_SETTINGS_MODULE": "hub.settings.dev", "DATABASE_URL": database_url(),
           "ENLACE_DATA_DIR": str(tmp_path), "CELERY_BROKER_URL": broker,
           "TELEGRAM_API_BASE_URL": fake_telegram.url, "X_API_BASE_URL": fake_x.url,
           "ENLACE_DISPATCH_INTERVAL": "1", "ENLACE_SWEEP_INTERVAL": "1",
           "ENLACE_REENQUEUE_AFTER": "3", "ENLACE_DELIVERY_LEASE": "120"}
    supervisor = dev.Supervisor(log=lambda message: None, pause=3600)  # no restarts here
    original = app.conf.broker_url
    app._pool, app.amqp._producer_pool, app.conf.broker_url = None, None, broker
    sent = lambda n: lambda: Delivery.objects.filter(state=DeliveryState.SENT).count() == n  # noqa: E731
    try:
        supervisor.add("worker", [sys.executable, *dev.WORKER, "--concurrency", "2",
                                  "--loglevel", "INFO"], env, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
        supervisor.add("beat", [sys.executable, *dev.BEAT, "--loglevel", "INFO", "--schedule",
                                str(tmp_path / "beat-schedule")], env, stdout=subprocess.DEVNULL)
        worker, beat = supervisor.children["worker"]["proc"], supervisor.children["beat"]["proc"]
        publish_post(author, channels, text="Antes de la caída del broker")
        assert wait_for(sent(2), 90, worker)
        for round_ in range(2):
            redis.kill()  # the broker dies with its queue and comes back empty
            redis.wait()
            assert wait_for(lambda: False, 3) is False  # down for a while
            redis = start_redis(port)
            publish_post(author, channels, text=f"Después de la caída {round_ + 1}")
            assert wait_for(sent(4 + 2 * round_), 120, worker)
        assert worker.poll() is None and beat.poll() is None
    finally:
        app._pool, app.amqp._producer_pool, app.conf.broker_url = None, None, original
        supervisor.stop()
        output = supervisor.children["worker"]["proc"].stdout.read()
        supervisor.children["worker"]["proc"].stdout.close()
        redis.kill()
        redis.wait()
    # Late work on the dead connection (a late ack, handing back unacked messages) fails as a
    # connection error that Celery logs, never as the AttributeError that stopped the worker.
    assert "Unrecoverable" not in output and "AttributeError" not in output, output
    assert len(fake_telegram.messages) == 3 and len(fake_x.tweets) == 3


def test_every_environment_variable_the_code_reads_is_in_the_readme():
    import re

    reads = re.compile(r"""(?:env_(?:str|int|bool|list)|os\.environ\.get|os\.getenv|_every)"""
                       r"""\(\s*["']([A-Z][A-Z0-9_]+)["']|os\.environ\[["']([A-Z][A-Z0-9_]+)["']\]""")
    names = set()
    for folder in ("hub", "network", "campaigns", "contests", "publications"):
        for path in (ROOT / folder).rglob("*.py"):
            for match in reads.finditer(path.read_text()):
                names.add(match.group(1) or match.group(2))
    for path in (ROOT / "dev.py", ROOT / "manage.py"):
        for match in reads.finditer(path.read_text()):
            names.add(match.group(1) or match.group(2))
    readme = (ROOT / "README.md").read_text()
    configuration = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    assert len(names) > 40
    assert sorted(n for n in names if f"`{n}`" not in configuration) == []


def test_a_web_process_sets_what_it_loaded_aside_from_the_garbage_collector():
    """Full collections walking the whole of Django and Wagtail paused requests ~150 ms."""
    code = ("import gc, sys, hub.wsgi; "
            "print(gc.get_freeze_count() > 100000, 'network.views.public' in sys.modules)")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "hub.settings.test"}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=120, check=True)
    assert out.stdout.split() == ["True", "True"], out.stderr[-2000:]


def test_a_celery_worker_sets_what_it_loaded_aside_before_starting_its_pool():
    """Jobs too: the worker settles as Celery announces it is ready to start its pool."""
    code = ("import gc, sys, django; django.setup(); from hub.celery import app; "
            "from celery import signals; before = gc.get_freeze_count(); "
            "signals.worker_init.send(sender=None); "
            "print(before == 0, gc.get_freeze_count() > 100000, 'network.views.public' in sys.modules)")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "hub.settings.test"}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=120, check=True)
    assert out.stdout.split() == ["True", "True", "True"], out.stderr[-2000:]


def test_each_copy_of_the_demo_gets_its_own_simulated_networks():
    """Two copies on different ENLACE_PORTs never share simulated networks (the second copy's
    posts would go out on the first one's fakes); the default keeps 8781 and 8782."""
    assert dev.fake_network_ports("8000") == (8781, 8782)
    other = dev.fake_network_ports("8001")
    assert len(set(other)) == 2 and not {8781, 8782} & set(other)


def test_a_port_that_is_not_a_number_is_refused_in_spanish():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "dev.py", "start"], cwd=ROOT, capture_output=True,
                         text=True, env={"PATH": "/usr/bin:/bin", "ENLACE_PORT": "ochomil"},
                         timeout=60)
    assert out.returncode != 0
    assert "ENLACE_PORT debe ser un número de puerto" in out.stderr and "ochomil" in out.stderr
    assert "Traceback" not in out.stderr


def test_the_start_banner_says_which_simulated_network_is_which_and_how_jurors_sign_in():
    """A newcomer reads the banner, not the README: two bare addresses did not say which was
    Telegram, and «jurado» with the password signs in nowhere (the admin is for staff; the
    accounts' sign-in takes the e-mail)."""
    text = dev.banner({"TELEGRAM_API_BASE_URL": "http://127.0.0.1:9001",
                       "X_API_BASE_URL": "http://127.0.0.1:9002"}, "clave")
    assert "Telegram simulado: http://127.0.0.1:9001/" in text
    assert "X simulado:        http://127.0.0.1:9002/" in text
    assert "jurado@enlace.local" in text and "participante@enlace.local" in text
    assert "/cuentas/login/" in text and "clave" in text
    real = dev.banner({"TELEGRAM_API_BASE_URL": "https://api.telegram.org"}, "clave", simulated=False)
    assert "simulado" not in real
