"""Soak: an hour of `dev.py start` traffic in a few minutes, with its worker and beat killed.

Runs the stack of `python3 dev.py start` under the same supervisor (dev.py's Supervisor) and
the same defaults: SQLite and the embedded broker in a temporary folder (or
BENCH_DATABASE_URL / BENCH_BROKER_URL), a Celery worker (prefork, 2 processes) and beat as
separate supervised processes, the development web server, and the fake Telegram and X
servers in this process. Time is compressed SOAK_SPEEDUP times (default 12: one simulated
hour = 5 real minutes): the dispatcher, sweeper, re-enqueue and lease intervals are divided
by it. Over the simulated hour it

- schedules SOAK_POSTS posts (default 600, each to one Telegram and one X channel), due at
  a steady rate, the way publishing a post does (rows that the dispatcher's beats pick up);
- sends web requests to the public pages, the open data, the admin login and /salud/ from
  one client, one every 0.5 s;
- SIGKILLs the worker's whole process group SOAK_WORKER_KILLS times (default 4) and beat
  once, at evenly spaced moments, and lets the supervisor start them again;

then waits for every delivery to settle and prints: deliveries sent / lost (still pending or
sending) / uncertain (a worker died mid-send: shown to a person, never resent by itself) /
failed, duplicates (messages a fake network received more than once: must be 0), lateness
(sent − due, p50/p95/max, in real seconds), restarts by process, worker log lines with
"Unrecoverable" or "JSONDecodeError" (must be 0), web requests, errors and latency, and files
left in the embedded broker's folder.

    python3 dev.py bench bench/soak.py
    SOAK_SPEEDUP=60 SOAK_POSTS=300 python3 dev.py bench bench/soak.py   # one minute
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import dev  # noqa: E402  (the supervisor and commands of `dev.py start`)

SPEEDUP = float(os.environ.get("SOAK_SPEEDUP", "12"))
POSTS = int(os.environ.get("SOAK_POSTS", "600"))
WORKER_KILLS = int(os.environ.get("SOAK_WORKER_KILLS", "4"))
HOUR = 3600 / SPEEDUP  # real seconds of the simulated hour
SETTLE = float(os.environ.get("SOAK_SETTLE", "180"))
PAGES = ["/", "/instituciones/", "/calendario/", "/datos/instituciones.json", "/admin/login/",
         "/salud/"]


def percentile(values, p):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))]


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def group_rss_mb(pgid: int) -> float:
    """Resident memory of a process group (a worker and its pool), in MB."""
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == pgid:
                total += int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    return total / 2**20


def store_sizes(folder: Path) -> dict:
    """Bytes (KB) under each store of the data folder: database files, broker, caches, media."""
    sizes = Counter()
    for path in folder.rglob("*"):
        if path.is_file():
            relative = path.relative_to(folder)
            key = relative.parts[0] if len(relative.parts) > 1 else relative.name
            try:
                sizes[key] += path.stat().st_size
            except OSError:
                continue
    return {key: round(size / 1024) for key, size in sorted(sizes.items())}


def main() -> None:  # noqa: C901 (a script that reads top to bottom)
    tmp = Path(tempfile.mkdtemp(prefix="enlace-soak-"))
    database_url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp / 'enlace.sqlite3'}"
    broker = os.environ.get("BENCH_BROKER_URL", "filesystem://")
    from campaigns.devtools.fake_networks import FakeTelegram, FakeX

    telegram = FakeTelegram(int(os.environ.get("SOAK_TELEGRAM_PORT", "0"))).start()
    x = FakeX(int(os.environ.get("SOAK_X_PORT", "0"))).start()
    port = int(os.environ.get("SOAK_PORT", "0")) or free_port()
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "hub.settings.dev", "DATABASE_URL": database_url,
        "ENLACE_DATA_DIR": str(tmp), "CELERY_BROKER_URL": broker, "LOG_LEVEL": "WARNING",
        "ENLACE_PORT": str(port), "TELEGRAM_API_BASE_URL": telegram.url,
        "X_API_BASE_URL": x.url,
        # The engine's clocks, compressed like the traffic.
        "ENLACE_DISPATCH_INTERVAL": str(5 / SPEEDUP),
        "ENLACE_DISPATCH_HORIZON": str(max(1.0, 30 / SPEEDUP)),
        "ENLACE_SWEEP_INTERVAL": str(30 / SPEEDUP),
        "ENLACE_REENQUEUE_AFTER": str(max(3.0, 120 / SPEEDUP)),
        "ENLACE_LOST_AFTER": str(max(1.0, 15 / SPEEDUP)),
        "ENLACE_DELIVERY_LEASE": str(max(10.0, 300 / SPEEDUP)),
        "ENLACE_RETRY_BASE": str(5 / SPEEDUP),
    })
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("bootstrap", verbosity=0)
    from _channels import fake_network_channels  # bench/ is the script's own folder on sys.path
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from campaigns.models import Delivery, Post
    from network.models import Institution

    institution = Institution.objects.get(acronym="INFOEM")
    author = get_user_model().objects.create(username="soak")
    channels = fake_network_channels(institution, "soak")
    connection.close()

    env = {**os.environ}
    logs = {name: open(tmp / f"{name}.log", "w") for name in ("worker", "beat", "web")}  # noqa: SIM115
    supervisor = dev.Supervisor(log=lambda m: print(f"  [{time.monotonic() - t0:6.1f} s] {m}"),
                                pause=1.0, max_pause=10.0, healthy_after=10.0)
    t0 = time.monotonic()
    supervisor.add("worker", [sys.executable, *dev.WORKER, "--loglevel", "WARNING",
                              "--concurrency", "2"], env, stdout=logs["worker"],
                   stderr=subprocess.STDOUT)
    supervisor.add("beat", [sys.executable, *dev.BEAT, "--loglevel", "WARNING"], env,
                   stdout=logs["beat"], stderr=subprocess.STDOUT)
    supervisor.add("web", [sys.executable, "manage.py", "runserver", "--noreload",
                           f"127.0.0.1:{port}"], env, stdout=logs["web"], stderr=subprocess.STDOUT)
    restarts = Counter()
    original_spawn = supervisor._spawn

    def counting_spawn(name):
        if supervisor.children[name]["proc"] is None:
            restarts[name] += 1
        original_spawn(name)

    supervisor._spawn = counting_spawn

    # Web traffic: one client, one request every 0.5 s, round the pages.
    web = {"ok": 0, "errors": Counter(), "latency": []}
    stop_web = threading.Event()

    def browse():
        base = f"http://127.0.0.1:{port}"
        for _ in range(600):  # wait for the server
            try:
                urllib.request.urlopen(base + "/salud/", timeout=5).read()
                break
            except OSError:
                time.sleep(0.2)
        i = 0
        while not stop_web.is_set():
            path = PAGES[i % len(PAGES)]
            i += 1
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(base + path, timeout=30) as answer:
                    answer.read()
                web["ok"] += 1
                web["latency"].append(time.perf_counter() - started)
            except urllib.error.HTTPError as error:
                web["errors"][f"{path} {error.code}"] += 1
            except OSError as error:
                web["errors"][f"{path} {type(error).__name__}"] += 1
            stop_web.wait(0.5)

    browser = threading.Thread(target=browse, daemon=True)
    browser.start()

    print(f"soak: {POSTS} posts × 2 channels over one simulated hour = {HOUR:.0f} real s "
          f"(speed-up {SPEEDUP:g}); database {database_url.split(':')[0]}, broker "
          f"{broker.split(':')[0]}; {WORKER_KILLS} worker kills and 1 beat kill", flush=True)
    kills = sorted([HOUR * (k + 1) / (WORKER_KILLS + 1) for k in range(WORKER_KILLS)])
    beat_kill = HOUR * 0.55
    created = 0
    due_times = {}
    next_report = HOUR / 10
    queue_folder = tmp / "broker" / "queue"

    def report(elapsed):
        counts = Counter(Delivery.objects.values_list("state", flat=True))
        queued = len(os.listdir(queue_folder)) if queue_folder.is_dir() else "-"
        proc = supervisor.children["worker"]["proc"]
        rss = group_rss_mb(proc.pid) if proc is not None and proc.poll() is None else 0
        print(f"  [{elapsed:6.1f} s] posts {created}, deliveries {dict(counts)}, "
              f"broker files {queued}, worker RSS {rss:.0f} MB, stores {store_sizes(tmp)}",
              flush=True)
    try:
        while True:
            elapsed = time.monotonic() - t0
            if elapsed >= HOUR and created >= POSTS:
                break
            # Posts due at a steady rate, each published a few (simulated) minutes ahead.
            target = min(POSTS, int(POSTS * elapsed / HOUR) + 1)
            if created < target:
                now = timezone.now()
                batch = []
                for i in range(created, target):
                    batch.append(Post(title=f"Soak {i}", text=f"Aviso de prueba de resistencia {i}",
                                      author=author, institution=institution, live=True))
                posts = Post.objects.bulk_create(batch)
                Post.channels.through.objects.bulk_create([
                    Post.channels.through(post=post, channel=channel)
                    for post in posts for channel in channels])
                due = now + timedelta(seconds=120 / SPEEDUP)
                Delivery.objects.bulk_create([
                    Delivery(post=post, channel=channel, due_at=due, next_attempt_at=due)
                    for post in posts for channel in channels])
                for post in posts:
                    due_times[post.pk] = due
                created = target
            if kills and elapsed >= kills[0]:
                kills.pop(0)
                proc = supervisor.children["worker"]["proc"]
                if proc is not None and proc.poll() is None:
                    os.killpg(proc.pid, signal.SIGKILL)
                    print(f"  [{elapsed:6.1f} s] SIGKILL to the worker's process group", flush=True)
            if beat_kill is not None and elapsed >= beat_kill:
                beat_kill = None
                proc = supervisor.children["beat"]["proc"]
                if proc is not None and proc.poll() is None:
                    os.killpg(proc.pid, signal.SIGKILL)
                    print(f"  [{elapsed:6.1f} s] SIGKILL to beat", flush=True)
            if elapsed >= next_report:
                next_report += HOUR / 10
                report(elapsed)
            supervisor.check()
            time.sleep(0.2)
        # Let everything settle (the last posts are due, killed sends are swept).
        settle_until = time.monotonic() + SETTLE
        while time.monotonic() < settle_until:
            supervisor.check()
            if not Delivery.objects.filter(state__in=["pending", "sending"]).exists():
                break
            time.sleep(0.5)
        real = time.monotonic() - t0
    finally:
        stop_web.set()
        browser.join(5)
        supervisor.stop()
        for log in logs.values():
            log.close()
        telegram.stop()
        x.stop()

    rows = list(Delivery.objects.values_list("state", "due_at", "finished_at"))
    states = Counter(state for state, _, _ in rows)
    lateness = [(f - d).total_seconds() for state, d, f in rows if state == "sent" and f and d]
    per_network = [Counter(m["text"] for m in telegram.messages), Counter(t["text"] for t in x.tweets)]
    received = sum(per_network, Counter())
    duplicates = sum(n - 1 for counter in per_network for n in counter.values() if n > 1)
    worker_log = (tmp / "worker.log").read_text(errors="replace")
    fatal = sum(worker_log.count(w) for w in ("Unrecoverable", "JSONDecodeError"))
    broker_left = Counter()
    if broker.startswith("filesystem://"):
        for path in (tmp / "broker" / "queue").iterdir():
            broker_left["broken" if path.name.startswith(".broken-") else
                        "half-taken" if path.name.startswith(".taken-") else
                        "being written" if path.name.startswith(".writing-") else "messages"] += 1
    total = len(rows)
    lost = states.get("pending", 0) + states.get("sending", 0)
    print(f"run: {real:.0f} real s (simulated hour {HOUR:.0f} s + settling)")
    other = {k: v for k, v in states.items()
             if k not in {"sent", "pending", "sending", "uncertain", "failed"}}
    print(f"deliveries: {total}; sent {states.get('sent', 0)}, lost (still pending/sending) {lost}, "
          f"uncertain {states.get('uncertain', 0)} (a worker was killed mid-send), failed "
          f"{states.get('failed', 0)}; other {other or 0}")
    print(f"received by the fakes: {sum(received.values())}; duplicates: {duplicates}")
    print(f"lateness (sent − due), real s: p50 {percentile(lateness, 50):.2f}  "
          f"p95 {percentile(lateness, 95):.2f}  max {max(lateness, default=float('nan')):.2f}")
    print(f"restarts by the supervisor: {dict(restarts) or 0}; worker log lines with "
          f"Unrecoverable/JSONDecodeError: {fatal}")
    print(f"web: {web['ok']} answered, errors {sum(web['errors'].values())} "
          f"{dict(web['errors']) or ''}; latency p50 {percentile(web['latency'], 50) * 1000:.0f} ms, "
          f"p95 {percentile(web['latency'], 95) * 1000:.0f} ms")
    if broker.startswith("filesystem://"):
        print(f"embedded broker folder at the end: {dict(broker_left) or 'empty'}")
    print(f"stores at the end (KB): {store_sizes(tmp)}")
    from django.db import connections

    connections.close_all()
    if os.environ.get("SOAK_KEEP") != "1":
        shutil.rmtree(tmp, ignore_errors=True)
    else:
        print(f"kept: {tmp}")


if __name__ == "__main__":
    main()
