"""Server time and SQL query count of the public pages, against a trivial view.

Runs one child process per data scale, each on a fresh database (SQLite in a temporary
folder, or a scratch PostgreSQL database when BENCH_DATABASE_URL is set), loads the reference
data plus generated contacts/events/agreements, and requests every page through Django's
test client in-process: server time only, no network, no page cache.

    python3 dev.py bench bench/pages.py
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python3 dev.py bench bench/pages.py
    BENCH_ROUNDS=100 ...   (timed requests per page; default 50)
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    ("baseline /salud/", "/salud/"),
    ("inicio", "/"),
    ("directorio", "/instituciones/"),
    ("institución", "/instituciones/{busy}/"),
    ("calendario (mes)", "/calendario/"),
    ("calendario (lista)", "/calendario/?vista=lista"),
]
SCALES = [
    ("N=10", {"contacts": 10, "events": 10, "agreements": 10}),
    ("N=1,000", {"contacts": 1000, "events": 1000, "agreements": 1000}),
    ("completo", {"contacts": 5000, "events": 2000, "agreements": 500}),
]
WARMUP = 5
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "50"))


def percentile(values, p):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def child(sizes: dict) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    from hub.bootstrap import ensure_site
    from network.domain.demo import populate

    ensure_site()
    populate(allies=50, **sizes)
    from network.models import Institution

    # The institution that the generator gives the first contact, event and agreement, so
    # every section of its page has rows at every scale.
    busy = Institution.objects.current().order_by("pk").first().slug
    client = Client()
    results = {}
    for label, url in PAGES:
        url = url.format(busy=busy)
        for _ in range(WARMUP):
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
        connection.queries_log.clear()  # a full log (maxlen) would hide new queries
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        query_count = len(queries)  # read now: later requests reset the connection's log
        times = []
        for _ in range(ROUNDS):
            start = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        results[label] = {"queries": query_count, "median": statistics.median(times),
                          "p95": percentile(times, 95), "p99": percentile(times, 99)}
    print("RESULT " + json.dumps(results))


def _scratch_database(base_url: str, name: str, drop: bool = False) -> str:
    import psycopg

    parsed = urlparse(base_url)
    with psycopg.connect(base_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if not drop:
            conn.execute(f'CREATE DATABASE "{name}"')
    return urlunparse(parsed._replace(path=f"/{name}"))


def run_scale(label: str, sizes: dict) -> dict:
    base_url = os.environ.get("BENCH_DATABASE_URL")
    with tempfile.TemporaryDirectory(prefix="enlace-bench-") as data_dir:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "hub.settings.dev",
               "ENLACE_DATA_DIR": data_dir, "LOG_LEVEL": "WARNING"}
        scratch = f"enlace_bench_{sizes['contacts']}_{sizes['events']}"
        if base_url:
            env["DATABASE_URL"] = _scratch_database(base_url, scratch)
        else:
            env["DATABASE_URL"] = f"sqlite:///{data_dir}/bench.sqlite3"
        try:
            started = time.perf_counter()
            out = subprocess.run([sys.executable, __file__, "--child", json.dumps(sizes)],
                                 cwd=ROOT, env=env, capture_output=True, text=True, check=False)
            if out.returncode != 0:
                sys.stderr.write(out.stdout[-3000:] + out.stderr[-3000:])
                raise SystemExit(f"la escala {label} falló")
            line = next(x for x in out.stdout.splitlines() if x.startswith("RESULT "))
            print(f"  {label}: medido en {time.perf_counter() - started:.0f} s", flush=True)
            return json.loads(line[len("RESULT "):])
        finally:
            if base_url:
                _scratch_database(base_url, scratch, drop=True)


def main() -> None:
    backend = "PostgreSQL" if os.environ.get("BENCH_DATABASE_URL") else "SQLite"
    print(f"Páginas públicas — {backend}, {ROUNDS} peticiones medidas por página "
          f"(+{WARMUP} de calentamiento), tiempo en el servidor, sin caché", flush=True)
    results = {label: run_scale(label, sizes) for label, sizes in SCALES}
    full = results["completo"]
    base = full["baseline /salud/"]["median"]
    print("\nCon 33 instituciones + 5,000 contactos, 2,000 eventos y 500 convenios:")
    print(f"{'página':<22}{'mediana ms':>11}{'p95 ms':>9}{'p99 ms':>9}{'× base':>8}{'consultas':>11}")
    for label, _url in PAGES:
        r = full[label]
        print(f"{label:<22}{r['median']:>11.2f}{r['p95']:>9.2f}{r['p99']:>9.2f}"
              f"{r['median'] / base:>8.1f}{r['queries']:>11}")
    print("\nConsultas SQL por página según el volumen de datos:")
    print(f"{'página':<22}" + "".join(f"{label:>10}" for label in results) + "  veredicto")
    for label, _url in PAGES:
        counts = [results[scale][label]["queries"] for scale in results]
        verdict = "estable" if len(set(counts)) == 1 else "CRECE"
        print(f"{label:<22}" + "".join(f"{c:>10}" for c in counts) + f"  {verdict}")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        child(json.loads(sys.argv[2]))
    else:
        main()
