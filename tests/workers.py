"""Real Celery worker processes for tests, sharing the test database and broker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def start_worker(data_dir, *, beat: bool = False, broker_url: str | None = None,
                 extra_env: dict | None = None, concurrency: int = 1) -> subprocess.Popen:
    """A worker (and optionally the beat scheduler) on the test database and broker."""
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "hub.settings.dev",
        "DATABASE_URL": database_url(),
        "ENLACE_DATA_DIR": str(data_dir),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),  # the files the tests uploaded
        "CELERY_BROKER_URL": broker_url or settings.CELERY_BROKER_URL,
        **(extra_env or {}),
    }
    if env["CELERY_BROKER_URL"].startswith("filesystem://"):
        env["CELERY_BROKER_FOLDER"] = str(settings.TEST_BROKER_FOLDER)
    pool = ["--pool", "solo"] if concurrency == 1 else ["--pool", "prefork", "--concurrency",
                                                        str(concurrency)]
    command = [sys.executable, "-m", "celery", "-A", "hub", "worker", *pool, "--loglevel", "WARNING",
               "--without-heartbeat", "--without-gossip", "--without-mingle"]
    if beat:
        command += ["--beat", "--schedule", str(Path(data_dir) / "beat-schedule")]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)


def stop_worker(worker: subprocess.Popen, *, kill: bool = False) -> str:
    """Stop a worker (SIGKILL to its whole process group with kill=True); returns its output."""
    if worker.poll() is None:
        if kill:
            os.killpg(worker.pid, signal.SIGKILL)
        else:
            worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
    output = worker.stdout.read() if worker.stdout else ""
    if worker.stdout:
        worker.stdout.close()
    return output


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def use_broker(app, url: str) -> None:
    """Point this process's Celery producer at another broker (kombu keeps one pool per URL).

    The read and write URLs are set too: Celery prefers a CELERY_BROKER_URL environment
    variable (as in the PostgreSQL + Redis runs) to ``broker_url``, but not to these.
    """
    app._pool = None
    app.amqp._producer_pool = None
    app.conf.broker_url = app.conf.broker_write_url = app.conf.broker_read_url = url


def wait_for(condition, timeout: float = 60, worker: subprocess.Popen | None = None,
             interval: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        if worker is not None and worker.poll() is not None:
            raise AssertionError("the worker exited:\n" + (worker.stdout.read() or ""))
        time.sleep(interval)
    return False


def start_redis(port: int) -> subprocess.Popen:
    """A Redis of a test's own on ``port`` (never the machine's 6379), ready to answer."""
    import socket

    process = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1",
                                "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL)

    def listening() -> bool:
        with socket.socket() as probe:
            return probe.connect_ex(("127.0.0.1", port)) == 0

    assert wait_for(listening, 10)
    return process
