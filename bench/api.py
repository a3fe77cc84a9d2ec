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
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path

from _stats import percentile  # bench/ is the script's own folder on sys.path

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
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client
    from rest_framework.authtoken.models import Token

    from campaigns.enums import ChannelHealth
    from campaigns.models import Channel, Post
    from network import rules
    from network.models import Institution, StaffProfile

    institution = Institution.objects.get(acronym="INFOEM")
    officer = get_user_model().objects.create(username="bench-api", is_staff=True)
    officer.groups.add(Group.objects.get(name=rules.COMMUNICATIONS))
    StaffProfile.objects.create(user=officer, institution=institution)
    channels = []
    for kind, credentials, chat in [
        ("telegram", {"bot_token": "123:valid"}, "@bench"),
        ("x", {"consumer_key": "ck-valid", "consumer_secret": "s", "access_token": "a",
               "access_token_secret": "b"}, ""),
    ]:
        channel = Channel(name=f"bench {kind}", kind=kind, institution=institution, chat_id=chat,
                          handle="@bench", health=ChannelHealth.OK)
        channel.set_credentials(credentials)
        channel.save()
        channels.append(channel.pk)
    client = Client(HTTP_AUTHORIZATION="Token " + Token.objects.create(user=officer).key)

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
        if len(parts) == 6 and parts[3].replace(".", "").isdigit() and "(" in parts[5]:
            print(f"  {float(parts[3]) * 1000 / profiled:7.2f}  "
                  f"{parts[5].replace(str(ROOT) + '/', '')[-110:]}")
    assert Post.objects.count() == REQUESTS + 6 + profiled
    telegram.stop()
    x.stop()
    from django.db import connections

    connections.close_all()
    drop_database()
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
