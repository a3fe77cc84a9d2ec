"""Delivery throughput, lateness and duplicates: 1,000 posts on 2 channels, 2 worker processes.

Sets up a fresh database (SQLite in a temporary folder, or BENCH_DATABASE_URL) and broker
(the embedded filesystem broker, or BENCH_BROKER_URL, e.g. redis://127.0.0.1:6379/13), starts
the fake Telegram and X servers in this process, schedules BENCH_POSTS posts (default 1,000)
on one Telegram and one X channel with send times spread over BENCH_SPREAD seconds (default
30), starting 10 s from now, then runs 2 Celery worker processes (one also runs beat, with the
default dispatcher settings) until every delivery is final.

Prints deliveries per second, lateness from the scheduled time (finish − due: p50, p95, p99,
max), duplicates (messages received more than once; must be 0) and losses, and a baseline
measured in the same run: the same real clients sending sequentially in one process with no
queue or database, so the ratio shows what the engine costs.

    python3 dev.py bench bench/delivery.py
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
      BENCH_BROKER_URL=redis://127.0.0.1:6379/13 python3 dev.py bench bench/delivery.py
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse, urlunparse

from _channels import fake_network_channels  # bench/ is the script's own folder on sys.path
from _stats import percentile, stop_cleanly_on_sigterm

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
POSTS = int(os.environ.get("BENCH_POSTS", "1000"))
SPREAD = float(os.environ.get("BENCH_SPREAD", "30"))
BASELINE_SENDS = 200
# A 429 (retry after 1 s) on every n-th publishing call of each network (0: none).
RATE_LIMIT_EVERY = int(os.environ.get("BENCH_RATE_LIMIT_EVERY", "0"))


def scratch_database(tmp: Path) -> tuple[str, callable]:
    base = os.environ.get("BENCH_DATABASE_URL")
    if not base:
        return f"sqlite:///{tmp / 'bench.sqlite3'}", lambda: None
    import psycopg

    name = f"enlace_bench_delivery_{os.getpid()}"
    admin = urlunparse(urlparse(base)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlunparse(urlparse(base)._replace(path=f"/{name}")), drop


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="enlace-bench-delivery-"))
    database_url, drop_database = scratch_database(tmp)
    broker = os.environ.get("BENCH_BROKER_URL", "filesystem://")
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "hub.settings.dev", "DATABASE_URL": database_url,
        "ENLACE_DATA_DIR": str(tmp), "CELERY_BROKER_URL": broker,
        "CELERY_BROKER_FOLDER": str(tmp / "broker"), "LOG_LEVEL": "WARNING",
        # As the README recommends for production: workers keep their database connection.
        "DATABASE_CONN_MAX_AGE": os.environ.get("DATABASE_CONN_MAX_AGE", "60"),
    })
    if broker.startswith("redis://"):
        import redis

        redis.Redis.from_url(broker).flushdb()
    from campaigns.devtools.fake_networks import FakeTelegram, FakeX

    telegram, x = FakeTelegram().start(), FakeX().start()
    os.environ["TELEGRAM_API_BASE_URL"], os.environ["X_API_BASE_URL"] = telegram.url, x.url
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from campaigns.connectors import get_connector
    from campaigns.delivery import dispatch
    from campaigns.models import Delivery, Post
    from network.models import Institution

    institution = Institution.objects.get(acronym="INFOEM")
    author = get_user_model().objects.create(username="bench")
    channels = fake_network_channels(institution, "bench")

    # Baseline: the same real clients, sequentially, no queue, no database.
    baseline = {}
    for channel in channels:
        connector = get_connector(channel.kind)
        started = time.perf_counter()
        for i in range(BASELINE_SENDS):
            connector.publish(channel, f"línea base {channel.kind} {i}", [], lambda: True)
        baseline[channel.kind] = BASELINE_SENDS / (time.perf_counter() - started)
    telegram.messages.clear()
    x.tweets.clear()
    if RATE_LIMIT_EVERY:
        from campaigns.devtools.fake_networks import Fault

        telegram.every("sendMessage", RATE_LIMIT_EVERY, Fault(status=429, retry_after=1))
        x.every("POST /2/tweets", RATE_LIMIT_EVERY, Fault(status=429, retry_after=1))

    # 1,000 published posts, each with one delivery per channel, due over the spread.
    start = timezone.now() + timedelta(seconds=10)
    posts = Post.objects.bulk_create([
        Post(title=f"Aviso {i}", text=f"Aviso número {i} del SNT", author=author,
             institution=institution, live=True) for i in range(POSTS)])
    Post.channels.through.objects.bulk_create([
        Post.channels.through(post=post, channel=channel) for post in posts for channel in channels])
    due = {post.pk: start + timedelta(seconds=SPREAD * i / POSTS) for i, post in enumerate(posts)}
    Delivery.objects.bulk_create([
        Delivery(post=post, channel=channel, due_at=due[post.pk], next_attempt_at=due[post.pk])
        for post in posts for channel in channels])
    dispatch()  # what publishing does: enqueue what is due within the horizon

    env = {**os.environ}
    workers = []
    for index in range(2):
        command = [sys.executable, "-m", "celery", "-A", "hub", "worker", "--pool", "solo",
                   "--loglevel", "WARNING", "--without-heartbeat", "--without-gossip",
                   "--without-mingle", "-n", f"bench{index}@%h"]
        if index == 0:
            command += ["--beat", "--schedule", str(tmp / "beat-schedule")]
        log_file = open(tmp / f"worker{index}.log", "w")  # noqa: SIM115 - closed with the folder
        workers.append(subprocess.Popen(command, cwd=ROOT, env=env, stdout=log_file,
                                        stderr=subprocess.STDOUT))
    total = POSTS * len(channels)
    deadline = time.monotonic() + SPREAD + 600
    try:
        while time.monotonic() < deadline:
            open_count = Delivery.objects.filter(state__in=["pending", "sending"]).count()
            if open_count == 0:
                break
            time.sleep(1)
    finally:
        for index, worker in enumerate(workers):
            if worker.poll() is not None:
                print(f"worker {index} exited early ({worker.returncode}):")
                print((tmp / f"worker{index}.log").read_text()[-3000:])
        for worker in workers:
            worker.terminate()
        for worker in workers:
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
    rows = list(Delivery.objects.values_list("state", "due_at", "finished_at"))
    late = [d for d in Delivery.objects.filter(state="sent").prefetch_related("log")
            if (d.finished_at - d.due_at).total_seconds() > 30]
    sent = [(d, f) for state, d, f in rows if state == "sent"]
    lateness = [(f - d).total_seconds() for d, f in sent]
    first_due = min(d for d, _ in sent)
    last_done = max(f for _, f in sent)
    duplicates = sum(n - 1 for counter in (Counter(m["text"] for m in telegram.messages),
                                           Counter(t["text"] for t in x.tweets))
                     for n in counter.values() if n > 1)
    states = Counter(state for state, _, _ in rows)
    window = (last_done - first_due).total_seconds()
    rate = len(sent) / window
    print(f"database: {database_url.split(':')[0]}, broker: {broker.split(':')[0]}, "
          f"posts: {POSTS}, channels: 2, deliveries: {total}, workers: 2 (solo pool), "
          f"send times spread over {SPREAD:.0f} s"
          + (f", a 429 every {RATE_LIMIT_EVERY} calls" if RATE_LIMIT_EVERY else ""))
    print(f"final states: {dict(states)}")
    print(f"messages received by the fakes: {len(telegram.messages) + len(x.tweets)}; "
          f"duplicates: {duplicates}; lost (not sent): {total - len(sent)}")
    print(f"throughput: {rate:.1f} deliveries/s over {window:.1f} s (first due → last sent); "
          f"demand was {total / SPREAD:.1f}/s")
    print(f"lateness (sent − due), s: p50 {percentile(lateness, 50):.2f}  "
          f"p95 {percentile(lateness, 95):.2f}  p99 {percentile(lateness, 99):.2f}  "
          f"max {max(lateness):.2f}")
    lost_lines = [line for index in range(len(workers))
                  for line in (tmp / f"worker{index}.log").read_text().splitlines()
                  if "whose message may have been lost" in line]
    relost = sum(int(line.split("Enqueued again ")[1].split()[0]) for line in lost_lines)
    print(f"messages enqueued again by the dispatcher as maybe lost (lost, or late in a "
          f"backlog): {relost}")
    print(f"deliveries more than 30 s late: {len(late)}")
    for d in late[:5]:
        print(f"  {d.pk} {(d.finished_at - d.due_at).total_seconds():.0f} s late: "
              + "; ".join(f"{a.at:%H:%M:%S} {a.outcome} {a.detail[:60]}" for a in d.log.all()))
    # The same mix (one Telegram and one X send per post) sent back to back by one process.
    mix = 2 / (1 / baseline["telegram"] + 1 / baseline["x"])
    print(f"baseline (same clients, 1 process, no queue/DB): telegram {baseline['telegram']:.1f}/s, "
          f"x {baseline['x']:.1f}/s, the same mix {mix:.1f}/s")
    print(f"engine throughput with 2 workers / baseline mix: {rate / mix:.2f}x "
          f"(capped by the demand when it keeps up)")
    telegram.stop()
    x.stop()
    from django.db import connections

    connections.close_all()
    drop_database()
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    stop_cleanly_on_sigterm()
    main()
