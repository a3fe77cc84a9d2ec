"""The iCal feed and open data at 10 and 10,000 events, against a trivial view in the same run.

Sets up a fresh database (SQLite in a temporary folder, or BENCH_DATABASE_URL for PostgreSQL)
and runs Django's WSGI handler in this process (no HTTP server: what is measured is the
server's own time for the view and the middleware). For each data size, interleaved, it asks:

* ``GET /bench/ping/``: a trivial view (an empty response) through the same middleware;
* ``GET /bench/static.ics``: a file on disk holding the feed's bytes (``FileResponse``), the
  yardstick every other answer is divided by (``x static``);
* ``GET /calendario.ics`` on a cache miss (the cache is cleared before each request: the
  two validator queries plus the whole body), on a hit (body from the cache), and as a poll
  whose copy is current (``If-None-Match``: 304);
* ``GET /datos/eventos.json`` on a miss, a hit and a 304, ``GET /datos/eventos.csv`` on a
  miss and a hit (read to the end), and misses of ``instituciones`` and ``convenios``;
* misses of the sitemap's index and of the first page (500 events) of its events section;
* the feed, ``eventos.json`` and ``eventos.csv`` right after an event changed and the rebuild
  job ran (what a visitor meets when the worker is not behind; change and job untimed), and
  the rebuild jobs themselves (a worker's time: both languages; ``eventos`` builds the JSON
  and the CSV).

Prints p50/p95/p99 of the wall time in milliseconds, the p50 of the CPU time (steadier on a
shared machine), the ratio to the static file, the size of the answers, the SQL queries of
each, and where a cache miss of the feed and of ``eventos.json`` spend their time (cProfile,
largest cumulative first). ``BENCH_REQUESTS`` requests of each kind (30 unless set; use
fewer while the machine is loaded).

    .venv/bin/python bench/feeds.py
    BENCH_REQUESTS=50 BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
      .venv/bin/python bench/feeds.py
"""

from __future__ import annotations

import cProfile
import datetime as dt
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
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "30"))
SIZES = (10, 10_000)

urlpatterns: list = []


STATIC = Path(tempfile.gettempdir()) / f"enlace-bench-feeds-static-{os.getpid()}.ics"


def _urls() -> None:
    from django.http import FileResponse, HttpResponse
    from django.urls import include, path

    def ping(request):
        return HttpResponse(b"ok", content_type="text/plain")

    def static(request):
        # A file on disk as a static file server answers it: the yardstick of the feed.
        return FileResponse(STATIC.open("rb"), content_type="text/calendar")

    urlpatterns[:] = [path("bench/ping/", ping), path("bench/static.ics", static),
                      path("", include("hub.urls"))]


def _add_events(n: int, start_index: int) -> None:
    """``n`` published events spread over a year back and a year ahead, one or two organizers
    each (bulk inserts: the bench measures reading, not writing)."""
    from django.utils import timezone

    from network.enums import EventKind, EventMode
    from network.models import Event, Institution

    institutions = list(Institution.objects.values_list("pk", flat=True))
    # Every event from 07:00 to 09:00 in Mexico City, so that none ends (and changes the feed
    # by hiding its registration link) during a run made at another hour.
    first_day = timezone.localtime().replace(hour=7, minute=0, second=0, microsecond=0)
    first_day -= dt.timedelta(days=365)
    kinds = [k for k, _label in EventKind.choices]
    events = []
    for k in range(n):
        i = start_index + k
        starts = first_day + dt.timedelta(days=(i * 7919) % 730)
        events.append(Event(
            title=f"Conversatorio sobre transparencia y datos personales número {i}",
            slug=f"bench-evento-{i}", kind=kinds[i % len(kinds)], mode=EventMode.HYBRID,
            summary="Diálogo entre órganos garantes, sociedad civil y academia, con "
                    "preguntas del público." if i % 2 else "",
            starts_at=starts, ends_at=starts + dt.timedelta(hours=2),
            venue="Auditorio «Jaime Torres Bodet», planta baja", state="MEX",
            online_url="https://example.org/transmision",
            registration_url="https://example.org/registro" if i % 3 else "", live=True,
        ))
    Event.objects.bulk_create(events, batch_size=1000)
    through = Event.organizers.through
    created = Event.objects.filter(slug__startswith="bench-evento-").order_by("pk")
    links = []
    for j, pk in enumerate(created.values_list("pk", flat=True)[start_index:]):
        links.append(through(event_id=pk, institution_id=institutions[j % len(institutions)]))
        if j % 2:
            links.append(through(event_id=pk,
                                 institution_id=institutions[(j + 7) % len(institutions)]))
    through.objects.bulk_create(links, batch_size=2000)


def _time(call) -> tuple[float, float]:
    """Wall and CPU milliseconds of one call (CPU time is what a shared, loaded machine
    distorts least: the database is SQLite in this process, or a PostgreSQL server aside)."""
    wall, cpu = time.perf_counter(), time.process_time()
    call()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def main() -> None:
    from delivery import scratch_database

    tmp = Path(tempfile.mkdtemp(prefix="enlace-bench-feeds-"))
    database_url, drop_database = scratch_database(tmp)
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "hub.settings.dev", "DATABASE_URL": database_url,
        "ENLACE_DATA_DIR": str(tmp), "CELERY_BROKER_URL": "filesystem://",
        "CELERY_BROKER_FOLDER": str(tmp / "broker"), "LOG_LEVEL": "WARNING",
        # As the README recommends for production: workers keep their database connection.
        "DATABASE_CONN_MAX_AGE": os.environ.get("DATABASE_CONN_MAX_AGE", "60"),
    })
    import django
    from django.conf import settings

    django.setup()
    settings.ROOT_URLCONF = "__main__"
    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    _urls()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.core.signals import request_started
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    from hub.process import settle

    settle()  # as each web process does when it starts (hub/process.py)
    request_started.disconnect(reset_queries)
    client = Client()

    def body(response) -> bytes:
        return b"".join(response.streaming_content) if response.streaming else response.content

    def get(url, status=200, **headers):
        response = client.get(url, **headers)
        assert response.status_code == status, (url, response.status_code, headers,
                                                response.get("ETag"))
        return body(response)

    def miss(url):
        cache.clear()
        pagecache.store().clear()  # the sitemap is kept with the pages
        return get(url)

    from django.utils import timezone

    from hub import opendata, pagecache
    from network.models import Event

    def change_event() -> None:
        """One event edited (a new ``updated_at``), as a save in the admin would."""
        event = Event.objects.order_by("-starts_at").first()
        event.updated_at = timezone.now()
        event.save(update_fields=["updated_at"])

    print(f"database: {database_url.split(':')[0]}, {REQUESTS} requests of each kind per size, "
          f"interleaved, in process (Django's WSGI handler and middleware)")
    etags = {}

    def current_etags() -> None:
        """The copies pollers hold (the data changes between rounds, see ``prepare``)."""
        etags["ics"] = client.get("/calendario.ics")["ETag"]
        etags["json"] = client.get("/datos/eventos.json")["ETag"]

    added = 0
    for size in SIZES:
        _add_events(size - added, added)
        added = size
        ics = get("/calendario.ics")
        STATIC.write_bytes(ics)  # the static file holds the same bytes as the feed
        kinds = {
            "trivial view": lambda: get("/bench/ping/"),
            "static file (same bytes)": lambda: get("/bench/static.ics"),
            "ics miss": lambda: miss("/calendario.ics"),
            "ics hit": lambda: get("/calendario.ics"),
            "ics 304": lambda: get("/calendario.ics", 304, HTTP_IF_NONE_MATCH=etags["ics"]),
            "eventos.json miss": lambda: miss("/datos/eventos.json"),
            "eventos.json hit": lambda: get("/datos/eventos.json"),
            "eventos.json 304": lambda: get("/datos/eventos.json", 304,
                                            HTTP_IF_NONE_MATCH=etags["json"]),
            "eventos.csv miss": lambda: miss("/datos/eventos.csv"),
            "eventos.csv hit": lambda: get("/datos/eventos.csv"),
            "instituciones.json miss": lambda: miss("/datos/instituciones.json"),
            "convenios.json miss": lambda: miss("/datos/convenios.json"),
            "sitemap.xml miss (index)": lambda: miss("/sitemap.xml"),
            "sitemap-eventos.xml miss (500)": lambda: miss("/sitemap-eventos.xml"),
            # What a visitor meets now: an event changed, the rebuild job ran (untimed).
            "ics after change+job": lambda: get("/calendario.ics"),
            "eventos.json after change+job": lambda: get("/datos/eventos.json"),
            "eventos.csv after change+job": lambda: get("/datos/eventos.csv"),
            # The job itself (a worker's time, not a visitor's): both languages.
            "job: calendario": lambda: opendata.rebuild("calendario"),
            "job: eventos json+csv": lambda: opendata.rebuild("datos:eventos"),
        }
        # Run untimed before each of these: a change to one event (and the job, for requests).
        prepare = {
            "ics after change+job": lambda: change_event() or opendata.rebuild("calendario"),
            "eventos.json after change+job": lambda: (change_event()
                                                      or opendata.rebuild("datos:eventos")),
            "eventos.csv after change+job": lambda: (change_event()
                                                     or opendata.rebuild("datos:eventos")),
            "job: calendario": change_event,
            "job: eventos json+csv": change_event,
            "ics 304": current_etags,
            "eventos.json 304": current_etags,
        }
        for name, call in kinds.items():  # warm up imports, caches and connections
            if name in prepare:
                prepare[name]()
            call()
        walls: dict[str, list[float]] = {name: [] for name in kinds}
        cpus: dict[str, list[float]] = {name: [] for name in kinds}
        for _ in range(REQUESTS):
            for name, call in kinds.items():
                if name in prepare:
                    prepare[name]()
                wall, cpu = _time(call)
                walls[name].append(wall)
                cpus[name].append(cpu)
        static = percentile(walls["static file (same bytes)"], 50)
        print(f"\n{size} events in the database (wall ms; CPU p50; x static = p50 / p50 of the "
              f"static file, {static:.1f} ms)")
        for name, call in kinds.items():
            if "miss" in name:
                cache.clear()
            if name in prepare:
                prepare[name]()
            with CaptureQueriesContext(connection) as queries:
                answer = call()
                size_bytes = len(answer) if isinstance(answer, bytes) else 0
            values = walls[name]
            print(f"  {name:24} p50 {percentile(values, 50):7.1f}  "
                  f"p95 {percentile(values, 95):7.1f}  p99 {percentile(values, 99):7.1f}  "
                  f"cpu {percentile(cpus[name], 50):7.1f}  "
                  f"x static {percentile(values, 50) / static:6.1f}  "
                  f"{size_bytes / 1024:7.1f} KiB  {len(queries):2} queries")
        print(f"  the feed holds {ics.count(b'BEGIN:VEVENT')} events "
              f"(from 90 days back; at most {__import__('network.ical').ical.MAX_EVENTS})")

    for url in ("/calendario.ics", "/datos/eventos.json"):
        cache.clear()
        profile = cProfile.Profile()
        profile.enable()
        miss(url)
        profile.disable()
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(
            r"network/|hub/opendata|django/(db/models/(query|sql/compiler)|template|urls)"
            r"|json|gettext", 12)
        print(f"\nwhere one cache miss of {url} goes (cumulative s, under the profiler):")
        for line in out.getvalue().splitlines():
            parts = line.split(None, 5)
            if len(parts) == 6 and parts[3].replace(".", "").isdigit() and "(" in parts[5]:
                print(f"  {float(parts[3]):6.3f}  {parts[5].replace(str(ROOT) + '/', '')[-100:]}")
    from django.db import connections

    connections.close_all()
    drop_database()
    STATIC.unlink(missing_ok=True)
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
