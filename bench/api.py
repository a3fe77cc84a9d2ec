"""Creating posts through the API against a trivial authenticated API view, in the same run.

Sets up a fresh database (SQLite in a temporary folder, or BENCH_DATABASE_URL) and broker (the
embedded filesystem broker, or BENCH_BROKER_URL), starts the fake Telegram and X servers, and
runs Django's WSGI handler in this process (no HTTP server: what is measured is the view's own
cost). For BENCH_REQUESTS requests (default 200) of each kind, alternating:

* ``POST /api/posts/`` as an officer (token), to one Telegram and one X channel of the
  officer's institution, a new text each time: validation, the post, its revision, publishing,
  its deliveries and their queue messages;
* ``GET /api/ping/``: a trivial view behind the same authentication, permission and throttling.

Prints medians, p95 and p99 in milliseconds, the throughput of each, the ratio, and where the
time of one post goes (the largest cumulative entries of a profile). BENCH_SHOW_QUERIES=1 also
prints the SQL of one post; BENCH_PROFILE_FILE=path writes its whole profile there.

    .venv/bin/python bench/api.py
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
      BENCH_BROKER_URL=redis://127.0.0.1:6379/13 .venv/bin/python bench/api.py

``--http`` measures throughput instead: the same two endpoints served by gunicorn with the
production settings (``-w 2 --threads 1``, as bench/pages.py serves the pages) and driven by
wrk at concurrency 1 and 8, posts and the trivial view interleaved in the same rounds. Every
POST has a text of its own and a send time in the future; afterwards the database is checked:
each 2xx answer has exactly one post (and one delivery per channel), and the fakes received no
call. ``BENCH_REDIS_URL`` also puts the cache (and so the throttle's counters) in Redis.

    .venv/bin/python bench/api.py --http --duration 5 --rounds 2
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from _channels import fake_network_channels  # bench/ is the script's own folder on sys.path
from _stats import percentile, stop_cleanly_on_sigterm

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))

# The bench's URLconf: the product's, plus one trivial view behind the API's defaults.
urlpatterns: list = []


def _urls() -> None:
    from django.urls import include, path
    from rest_framework.response import Response
    from rest_framework.views import APIView

    class Ping(APIView):
        def get(self, request):
            return Response({"ok": True})

    urlpatterns[:] = [path("api/ping/", Ping.as_view()), path("", include("hub.urls"))]


def main() -> None:
    from delivery import scratch_database

    tmp = Path(tempfile.mkdtemp(prefix="enlace-bench-api-"))
    database_url, drop_database = scratch_database(tmp)
    broker = os.environ.get("BENCH_BROKER_URL", "filesystem://")
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "hub.settings.dev", "DATABASE_URL": database_url,
        "ENLACE_DATA_DIR": str(tmp), "CELERY_BROKER_URL": broker,
        "CELERY_BROKER_FOLDER": str(tmp / "broker"), "LOG_LEVEL": "WARNING",
        "API_THROTTLE_RATE": "100000/hour",
    })
    from campaigns.devtools.fake_networks import FakeTelegram, FakeX

    telegram, x = FakeTelegram().start(), FakeX().start()
    os.environ["TELEGRAM_API_BASE_URL"], os.environ["X_API_BASE_URL"] = telegram.url, x.url
    import django
    from django.conf import settings

    django.setup()
    settings.ROOT_URLCONF = "__main__"
    settings.ALLOWED_HOSTS = ["*"]
    _urls()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from hub.process import settle

    settle()  # as each web process does when it starts (hub/process.py)
    from django.test import Client

    from campaigns.models import Post

    token, channels = _officer()
    client = Client(HTTP_AUTHORIZATION="Token " + token)

    def create(i: int):
        return client.post("/api/posts/", {"text": f"Aviso {i} del banco de pruebas",
                                           "channels": channels}, content_type="application/json")

    def ping(_i: int):
        return client.get("/api/ping/")

    for i in range(5):  # warm up both paths (imports, caches, connections)
        assert create(-1 - i).status_code == 201, create(-1 - i).content
        assert ping(i).status_code == 200
    times: dict[str, list[float]] = {"post": [], "ping": []}
    cpu: dict[str, float] = {"post": 0.0, "ping": 0.0}
    for i in range(REQUESTS):
        for name, call, ok in (("post", create, 201), ("ping", ping, 200)):
            started, started_cpu = time.perf_counter(), time.process_time()
            response = call(i)
            times[name].append(time.perf_counter() - started)
            cpu[name] += time.process_time() - started_cpu
            assert response.status_code == ok, response.content
    from django.core.signals import request_started
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    request_started.disconnect(reset_queries)  # keep the log across the request

    with CaptureQueriesContext(connection) as post_queries:
        create(REQUESTS + 1)
    # Several posts in one profile: one alone is mostly noise on a shared machine.
    profiled = max(1, min(20, REQUESTS // 5))
    profile = cProfile.Profile(time.process_time)  # CPU time: other processes' load stays out
    profile.enable()
    for i in range(profiled):
        create(REQUESTS + 2 + i)
    profile.disable()

    print(f"database: {database_url.split(':')[0]}, broker: {broker.split(':')[0]}, "
          f"requests: {REQUESTS} of each, sequential, in process (Django's WSGI handler)")
    for name, label in (("post", "POST /api/posts/ (2 channels)"), ("ping", "GET /api/ping/ (trivial)")):
        values = [t * 1000 for t in times[name]]
        print(f"{label:32} p50 {percentile(values, 50):7.1f} ms  p95 {percentile(values, 95):7.1f} ms"
              f"  p99 {percentile(values, 99):7.1f} ms  throughput {len(values) / sum(times[name]):7.1f}/s")
    ratio = sum(times["ping"]) / sum(times["post"])
    print(f"posts' throughput / trivial view's: {ratio:.2f} (target ≥ 0.33)")
    # CPU time of this process only: steadier than wall time on a machine shared with others
    # (the wall time also counts SQLite's fsync at each commit and waiting for a CPU).
    print(f"the same by CPU time: post {cpu['post'] / REQUESTS * 1000:.1f} ms, trivial "
          f"{cpu['ping'] / REQUESTS * 1000:.1f} ms, ratio {cpu['ping'] / cpu['post']:.2f}")
    print(f"SQL queries of one post: {len(post_queries)}")
    if os.environ.get("BENCH_SHOW_QUERIES"):  # each query of that post, shortened
        for query in post_queries.captured_queries:
            print("   ", query["sql"][:150])
    if os.environ.get("BENCH_PROFILE_FILE"):  # the whole profile, for pstats or snakeviz
        profile.dump_stats(os.environ["BENCH_PROFILE_FILE"])
    print(f"network calls during the run: telegram {len(telegram.calls)}, x {len(x.calls)} "
          f"(a post must not call the networks)")
    out = io.StringIO()
    # The project's own steps and the libraries they call, largest cumulative time first.
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(
        r"campaigns/|wagtail/(models|signals|search|actions)|kombu/|celery/app|modelsearch"
        r"|rest_framework/(serializers|parsers|renderers|views)", 40)
    print(f"where a post's CPU time goes (cumulative ms per post, profiled, {profiled} posts):")
    for line in out.getvalue().splitlines():
        parts = line.split(None, 5)
        if (len(parts) == 6 and parts[0].replace("/", "").isdigit()
                and parts[3].replace(".", "").isdigit() and "(" in parts[5]):
            print(f"  {float(parts[3]) * 1000 / profiled:7.2f}  "
                  f"{parts[5].replace(str(ROOT) + '/', '')[-110:]}")
    assert Post.objects.count() == REQUESTS + 6 + profiled
    telegram.stop()
    x.stop()
    from django.db import connections

    connections.close_all()
    drop_database()
    shutil.rmtree(tmp, ignore_errors=True)


# --- --http: gunicorn and wrk -------------------------------------------------------------------

def _application():
    """The product's WSGI application with this module's URLconf (the product's URLs and the
    trivial view): what gunicorn serves in --http mode."""
    from django.conf import settings

    from hub.wsgi import application

    settings.ROOT_URLCONF = __name__
    _urls()
    return application


if os.environ.get("BENCH_API_WSGI"):  # imported by gunicorn's workers (--http)
    application = _application()


# Each wrk thread numbers its requests; a post's text carries "<run>-<thread>-<n>", its send
# time is a day ahead (a different second each). Answers are matched to posts by that text.
POST_SCRIPT = r"""
local threads, count = {}, 0
function setup(thread)
  thread:set("tid", count)
  count = count + 1
  table.insert(threads, thread)
end
function init(args)
  run, channels, day = args[1], args[2], args[3]
  n, created = 0, {}
end
function request()
  n = n + 1
  local body = string.format(
    '{"text": "Aviso %s-%d-%d del banco de pruebas", "channels": [%s], "publish_at": "%sT%02d:%02d:%02d"}',
    run, tid, n, channels, day, 8 + math.floor(n / 3600) % 12, math.floor(n / 60) % 60, n % 60)
  return wrk.format("POST", nil, nil, body)
end
function response(status, headers, body)
  if status >= 200 and status < 300 then
    created[#created + 1] = string.match(body, '"text":"Aviso ([%w%-]+) ') or "?"
  end
end
done = function(summary, latency, requests)
  local ids = {}
  for _, thread in ipairs(threads) do
    for _, id in ipairs(thread:get("created")) do ids[#ids + 1] = '"' .. id .. '"' end
  end
  io.write(string.format("WRKJSON {\"requests\": %d, \"duration_us\": %d, \"p50_us\": %d, "
    .. "\"p99_us\": %d, \"non2xx\": %d, \"errors\": %d, \"created\": [%s]}\n", summary.requests,
    summary.duration, latency:percentile(50), latency:percentile(99), summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    table.concat(ids, ",")))
end
"""


def _wrk(url: str, connections: int, duration: float, script: Path, headers: list[str],
         args: list[str] = ()) -> dict:
    from pages import WRK

    command = [WRK, "-t", str(min(connections, 2)), "-c", str(connections), "-d", f"{duration}s",
               "--latency", "-s", str(script), "--timeout", "30s"]
    for header in headers:
        command += ["-H", header]
    out = subprocess.run(command + [url, "--", *args], capture_output=True, text=True, check=False)
    line = next((x for x in out.stdout.splitlines() if x.startswith("WRKJSON ")), None)
    if line is None:
        raise SystemExit(f"wrk failed on {url}: {out.stdout[-500:]} {out.stderr[-500:]}")
    r = json.loads(line[len("WRKJSON "):])
    return {"rps": r["requests"] / (r["duration_us"] / 1e6 or 1), "p50": r["p50_us"] / 1000,
            "p99": r["p99_us"] / 1000, "bad": r["non2xx"] + r["errors"],
            "requests": r["requests"], "created": r.get("created", [])}


def _server_cpu(group: int) -> float:
    """CPU seconds used so far by the processes of gunicorn's group (master and workers)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        if int(fields[2]) == group:  # pgrp; then utime and stime in clock ticks
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def _request(url: str, headers: dict, body: dict | None = None) -> tuple[int, dict]:
    import urllib.error
    import urllib.request

    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers=headers,
                                     method="POST" if data else "GET")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        return exc.code, {"error": exc.read()[:500].decode(errors="replace")}


def http_main(argv: list[str]) -> None:
    from delivery import scratch_database
    from pages import WRK, WRK_SCRIPT, _free_port, _production_env, _start_gunicorn, _stop

    parser = argparse.ArgumentParser(description="bench/api.py --http")
    parser.add_argument("--http", action="store_true")
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds")
    parser.add_argument("--concurrency", default="1,8", help="wrk connections, comma-separated")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (threads: 1)")
    args = parser.parse_args(argv)
    concurrency = [int(c) for c in args.concurrency.split(",") if c.strip()]
    if not os.path.exists(WRK):
        raise SystemExit(f"wrk is not installed at {WRK} (Debian: apt-get install wrk)")
    tmp = Path(tempfile.mkdtemp(prefix="enlace-bench-api-http-"))
    database_url, drop_database = scratch_database(tmp)
    broker = os.environ.get("BENCH_BROKER_URL", "filesystem://")
    from campaigns.devtools.fake_networks import FakeTelegram, FakeX

    telegram, x = FakeTelegram().start(), FakeX().start()
    env = {**_production_env(tmp, database_url, tmp / "static"),
           "CELERY_BROKER_URL": broker, "API_THROTTLE_RATE": "100000000/hour",
           # As the README's deployment has it: workers keep their database connection.
           "DATABASE_CONN_MAX_AGE": os.environ.get("DATABASE_CONN_MAX_AGE", "60"),
           "TELEGRAM_API_BASE_URL": telegram.url, "X_API_BASE_URL": x.url,
           "PYTHONPATH": os.pathsep.join([str(ROOT / "bench"), str(ROOT)])}
    if os.environ.get("BENCH_REDIS_URL"):
        env["REDIS_URL"] = os.environ["BENCH_REDIS_URL"]
    os.environ.update(env)  # this process sets up and checks the same database
    scripts, server = [], None
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections

        call_command("migrate", verbosity=0)
        token, channels = _officer()
        connections.close_all()
        server, base = _start_gunicorn({**env, "BENCH_API_WSGI": "1"}, _free_port(), args.workers,
                                       "0", tmp / "gunicorn.log", app="api:application")
        headers = {"Authorization": f"Token {token}", "Content-Type": "application/json",
                   "X-Forwarded-Proto": "https"}
        from django.utils import timezone

        day = (timezone.now() + timedelta(days=1)).strftime("%Y-%m-%d")
        status, body = _request(base + "/api/posts/", headers, {
            "text": "Aviso warm del banco de pruebas", "channels": channels,
            "publish_at": f"{day}T07:00:00"})
        if status != 201:
            raise SystemExit(f"POST /api/posts/ answered {status}: {body}")
        status, body = _request(base + "/api/ping/", headers)
        if status != 200:
            raise SystemExit(f"GET /api/ping/ answered {status}: {body}")
        for text in (POST_SCRIPT, WRK_SCRIPT):
            with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
                f.write(text)
                scripts.append(Path(f.name))
        wrk_headers = [f"{k}: {v}" for k, v in headers.items()]
        # Both workers warm (first queries, the first queue message), then a quiet second.
        created = ["warm"] + _wrk(base + "/api/posts/", 8, 2, scripts[0], wrk_headers,
                                  ["warm", ",".join(map(str, channels)), day])["created"]
        _wrk(base + "/api/ping/", 8, 1, scripts[1], wrk_headers)
        cpu = _server_cpu(server.pid)
        time.sleep(1)
        idle = _server_cpu(server.pid) - cpu
        results: dict = {}
        print(f"database: {database_url.split(':')[0]}, broker: {broker.split(':')[0]}, cache: "
              f"{'redis' if os.environ.get('BENCH_REDIS_URL') else 'local memory'}; gunicorn -w "
              f"{args.workers} --threads 1 (hub.settings.production), wrk {args.duration} s a run, "
              f"{args.rounds} interleaved round(s); idle server CPU {idle * 1000:.0f} ms/s", flush=True)
        for round_ in range(args.rounds):
            for connections_ in concurrency:
                run = f"r{round_}c{connections_}"
                cpu = _server_cpu(server.pid)
                post = _wrk(base + "/api/posts/", connections_, args.duration, scripts[0],
                            wrk_headers, [run, ",".join(map(str, channels)), day])
                now = _server_cpu(server.pid)
                post["cpu"], cpu = now - cpu, now
                ping = _wrk(base + "/api/ping/", connections_, args.duration, scripts[1],
                            wrk_headers)
                ping["cpu"] = _server_cpu(server.pid) - cpu
                created += post["created"]
                for name, result in (("post", post), ("ping", ping)):
                    results.setdefault((name, connections_), []).append(result)
        _stop(server)
        server = None
        # The server's CPU time a request (all its processes, from /proc): steadier than req/s
        # on a machine shared with other work, where a request also waits for a core.
        print(f"{'':32}{'c':>3}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}"
              f"{'server CPU ms':>15}")
        for connections_ in concurrency:
            merged, cpu = {}, {}
            for name, label in (("post", "POST /api/posts/ (2 channels)"),
                                ("ping", "GET /api/ping/ (trivial)")):
                runs = results[(name, connections_)]
                merged[name] = rps = sum(r["requests"] for r in runs) / (
                    sum(r["requests"] / r["rps"] for r in runs if r["rps"]) or 1)
                p50 = sorted(r["p50"] for r in runs)[len(runs) // 2]
                cpu[name] = sum(r["cpu"] for r in runs) * 1000 / (sum(r["requests"] for r in runs) or 1)
                print(f"{label:32}{connections_:>3}{rps:>9.1f}{p50:>9.1f}"
                      f"{max(r['p99'] for r in runs):>9.1f}{sum(r['bad'] for r in runs):>8}"
                      f"{cpu[name]:>15.1f}")
            each = ", ".join(f"{r['rps'] / p['rps']:.2f}" for r, p in zip(
                results[("post", connections_)], results[("ping", connections_)], strict=True))
            print(f"  c={connections_}: posts' throughput / trivial view's "
                  f"{merged['post'] / merged['ping']:.2f} (each round: {each}; target ≥ 0.33); by the "
                  f"server's CPU time a request {cpu['ping'] / cpu['post']:.2f}")
        _check_posts(created, channels, telegram, x)
    finally:
        if server is not None:
            _stop(server)
        for script in scripts:
            script.unlink(missing_ok=True)
        telegram.stop()
        x.stop()
        from django.db import connections

        connections.close_all()
        drop_database()
        shutil.rmtree(tmp, ignore_errors=True)


def _officer() -> tuple[str, list[int]]:
    """An officer of INFOEM with a token, and one Telegram and one X channel of theirs."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from rest_framework.authtoken.models import Token

    from network import rules
    from network.models import Institution, StaffProfile

    institution = Institution.objects.get(acronym="INFOEM")
    officer = get_user_model().objects.create(username="bench-api", is_staff=True)
    officer.groups.add(Group.objects.get(name=rules.COMMUNICATIONS))
    StaffProfile.objects.create(user=officer, institution=institution)
    channels = [c.pk for c in fake_network_channels(institution, "bench")]
    return Token.objects.create(user=officer).key, channels


def _check_posts(answered: list[str], channels: list[int], telegram, x) -> None:
    """Every 2xx answer has exactly one post in the database, with one delivery per channel."""
    from collections import Counter

    from django.db.models import Count

    from campaigns.models import Delivery, Post

    texts = Counter(Post.objects.values_list("text", flat=True))
    stored = Counter()
    for text, count in texts.items():
        stored[text.split(" ")[1]] += count
    answered_set = set(answered)
    duplicates = {k: v for k, v in stored.items() if v > 1}
    lost = [k for k in answered_set if k not in stored]
    unanswered = [k for k in stored if k not in answered_set]
    deliveries = dict(Delivery.objects.order_by().values("post_id").annotate(n=Count("pk"))
                      .values_list("post_id", "n"))
    wrong = sum(1 for pk in Post.objects.values_list("pk", flat=True)
                if deliveries.get(pk, 0) != len(channels))
    warm = sum(1 for k in answered if k.startswith("warm"))
    print(f"2xx POSTs {len(answered)} ({len(answered) - warm} measured, {warm} warming up), "
          f"posts stored {sum(stored.values())}: lost {len(lost)}, duplicated {len(duplicates)}, "
          f"stored but unanswered {len(unanswered)} (in flight when wrk stopped), posts without "
          f"exactly {len(channels)} deliveries {wrong}; the same answer twice "
          f"{len(answered) - len(answered_set)}")
    print(f"network calls during the run: telegram {len(telegram.calls)}, x {len(x.calls)} "
          f"(a post must not call the networks)")
    if (lost or duplicates or wrong or len(answered) != len(answered_set) or "?" in answered_set
            or telegram.calls or x.calls):
        raise SystemExit("posts lost or duplicated, or a network called: see above")


if __name__ == "__main__":
    stop_cleanly_on_sigterm()
    if "--http" in sys.argv[1:]:
        http_main(sys.argv[1:])
    else:
        main()
