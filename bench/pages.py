"""Public pages served by gunicorn with the production settings, driven by wrk.

For each data size (default 10 and 10,000 contacts, events and agreements) the bench builds a
fresh database (SQLite in a temporary folder, or a scratch PostgreSQL database when
BENCH_DATABASE_URL is set) with the reference data, the generated rows, a contest series and
call, a standard page and the collected static files; counts the SQL queries of every page
in-process (CaptureQueriesContext, page cache off, then a repeat with the cache on); then
starts two gunicorn servers with ``hub.settings.production`` (``-w 2 --threads 1``, DEBUG off,
throwaway secrets, requests sent as a TLS-terminating proxy would with
``X-Forwarded-Proto: https``): one with ``ENLACE_PAGE_CACHE_SECONDS=0`` (uncached) and one
with the page cache on. wrk drives every page on both, at concurrency 1 and 8, interleaved
with a WhiteNoise static file and the trivial view ``/salud/`` in the same rounds, and with
the pages of another server given by ``--against`` (bakerydemo, see bench/bakerydemo.md).

Prints req/s, p50/p99 latency, SQL queries per page at each size, cached/uncached ratios,
each page against ``/salud/`` and the static file, and against the other server's home page.

    python3 dev.py bench bench/pages.py
    .venv/bin/python bench/pages.py --sizes 10,10000 --duration 5 --rounds 2
    .venv/bin/python bench/pages.py --against http://127.0.0.1:8100/ --against-path / \\
        --against-path /blog/
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/pages.py

Needs wrk (Debian: ``apt-get install wrk``). The page cache (``hub/pagecache.py``, header
``X-Cache: hit|miss``) is optional: without it both servers answer alike and the bench says so.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urljoin, urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
WRK = os.environ.get("BENCH_WRK", "/usr/bin/wrk")
PAGES = [
    ("inicio", "/"),
    ("directorio", "/instituciones/"),
    ("institución", "/instituciones/{institution}/"),
    ("calendario (mes)", "/calendario/"),
    ("calendario (lista)", "/calendario/?vista=lista"),
    ("serie de concursos", "{series}"),
    ("convocatoria", "{call}"),
    ("página estándar", "{standard}"),
    ("evento", "{event}"),
    ("cápsulas", "/capsulas/"),
    ("revista (número)", "{issue}"),
    ("revista (artículo)", "{article}"),
    ("cuadernillo", "{booklet}"),
    ("cuadernillo (edición)", "{edition}"),
    ("buenas prácticas", "{practices}"),
    ("buena práctica", "{practice}"),
    ("hoja de ruta", "{roadmap}"),
    ("agendas", "/agendas/"),
    ("estadísticas", "/estadisticas/"),
    ("autodiagnóstico", "/autodiagnostico-gobierno-abierto/"),
    ("datos abiertos", "/datos/"),
    ("calendario.ics", "/calendario.ics"),
    ("datos/eventos.json", "/datos/eventos.json"),
]
BASELINES = [("/salud/ (trivial)", "/salud/"), ("estático (WhiteNoise)", "{static}")]
PROXY_HEADER = "X-Forwarded-Proto: https"
CACHE_SECONDS = "300"
WRK_SCRIPT = r"""
done = function(summary, latency, requests)
  io.write(string.format("WRKJSON {\"requests\": %d, \"duration_us\": %d, \"p50_us\": %d, "
    .. "\"p99_us\": %d, \"non2xx\": %d, \"errors\": %d}\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=os.environ.get("BENCH_SIZES", "10,10000"),
                        help="rows of contacts, events and agreements, comma-separated")
    parser.add_argument("--duration", type=int, default=int(os.environ.get("BENCH_DURATION", "3")),
                        help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", "1")),
                        help="interleaved rounds (each runs every target once per concurrency)")
    parser.add_argument("--concurrency", default="1,8", help="wrk connections, comma-separated")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (threads: 1)")
    parser.add_argument("--against", default=os.environ.get("BENCH_AGAINST", ""),
                        help="base URL of another server driven the same way (e.g. bakerydemo)")
    parser.add_argument("--against-path", action="append", default=[],
                        help="path on --against (repeatable; default /)")
    parser.add_argument("--only", default="", help="comma-separated labels of our pages to run")
    args = parser.parse_args(argv)
    try:
        args.sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
        args.concurrency = [int(c) for c in args.concurrency.split(",") if c.strip()]
    except ValueError:
        parser.error("--sizes and --concurrency take whole numbers separated by commas")
    if not args.sizes or not args.concurrency or min(args.sizes + args.concurrency) < 1:
        parser.error("--sizes and --concurrency need at least one positive number")
    if args.duration <= 0 or args.rounds < 1:
        parser.error("--duration must be positive and --rounds at least 1")
    if args.against and urlparse(args.against).scheme not in ("http", "https"):
        parser.error("--against takes an http(s) URL, e.g. http://127.0.0.1:8100/")
    args.against_path = args.against_path or ["/"]
    return args


# --- in-process part (a child process per data size) -------------------------------------------

def child_prepare() -> None:
    """Migrate a database and collect the static files once; each size starts from a copy."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    print("PREPARED", flush=True)


def _demo_content(env: dict) -> None:
    """Every tool's demo content (magazine, booklets, practices, roadmaps, statistics, agendas,
    the self-assessment), as ``dev.py start`` builds it: ``bootstrap --demo`` only runs under
    the development settings; the throwaway database is then served with the production ones."""
    demo_env = {**env, "DJANGO_SETTINGS_MODULE": "hub.settings.dev",
                "CELERY_TASK_ALWAYS_EAGER": "0", "ENLACE_DEMO_PASSWORD": secrets.token_urlsafe(16)}
    out = subprocess.run([sys.executable, "manage.py", "bootstrap", "--demo"], cwd=ROOT,
                         env=demo_env, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        sys.stderr.write(out.stdout[-3000:] + out.stderr[-3000:])
        raise SystemExit("loading the demo content failed")


def _page_urls() -> dict:
    """The address of one page of each kind the demo content has (None when it has none)."""
    from hub.models import GoodPracticePage, PracticeLibraryPage
    from network.models import Event, Roadmap
    from publications.models import ArticlePage, BookletPage, EditionPage, IssuePage

    def first(model):
        page = model.objects.live().public().order_by("path").first()
        return page.url if page is not None else None

    roadmap = Roadmap.objects.public().first()
    return {
        "event": Event.objects.public().order_by("-pk").first().get_absolute_url(),
        "issue": first(IssuePage),
        "article": first(ArticlePage),
        "booklet": first(BookletPage),
        "edition": first(EditionPage),
        "practices": first(PracticeLibraryPage),
        "practice": first(GoodPracticePage),
        "roadmap": roadmap.get_absolute_url() if roadmap is not None else None,
    }


def child_setup(size: int) -> None:
    """Load the data, count queries; print the URLs and counts as JSON."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)  # nothing left to do on a prepared copy
    from contests.demo import create_call
    from hub.bootstrap import ensure_site
    from hub.models import StandardPage
    from network.domain.demo import populate
    from network.models import Institution

    home = ensure_site()
    populate(contacts=size, events=size, agreements=size, allies=min(size, 50))
    from contests.models import ContestCallPage

    call = ContestCallPage.objects.live().order_by("path").first() or create_call(home)
    standard = StandardPage.objects.live().exclude(pk=home.pk).first()
    if standard is None:
        standard = home.add_child(instance=StandardPage(
            title="Acerca del SNT", slug="acerca", intro="Página de prueba del banco.",
            body=[("paragraph", "<p>El Sistema Nacional de Transparencia.</p>")]))
        standard.save_revision().publish()
    institution = Institution.objects.current().order_by("pk").first()
    urls = {"institution": institution.slug, "series": call.get_parent().url, "call": call.url,
            "standard": standard.url, **_page_urls()}
    settings.DEBUG = False
    client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1")
    home_html = client.get("/", secure=True).content.decode()
    static = next((part.split('"')[0] for part in home_html.split('href="')[1:]
                   if part.startswith(settings.STATIC_URL) and '.css' in part.split('"')[0]), None)
    urls["static"] = static or settings.STATIC_URL + "admin/css/base.css"
    queries = {}
    for label, template in PAGES + BASELINES[:1]:
        url = _url(template, urls)
        if url is None:
            continue
        for cache_seconds, key in (("0", "uncached"), (CACHE_SECONDS, "cached")):
            settings.ENLACE_PAGE_CACHE_SECONDS = int(cache_seconds)
            for _ in range(2):  # warm: imports, the first cache fill
                response = client.get(url, secure=True)
                if response.status_code != 200:
                    raise SystemExit(f"{url} answered {response.status_code}")
                b"".join(response) if response.streaming else response.content
            connection.queries_log.clear()
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url, secure=True)
                b"".join(response) if response.streaming else response.content
            queries.setdefault(label, {})[key] = len(captured)
    print("SETUP " + json.dumps({"urls": urls, "queries": queries}), flush=True)


def _url(template: str, urls: dict) -> str | None:
    """A page's address, or None when the data has no page of that kind."""
    try:
        url = template.format(**urls)
    except KeyError:
        return None
    return None if "None" in url else url


# --- driver -------------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _scratch_database(base_url: str, name: str, drop: bool = False) -> str:
    import psycopg

    with psycopg.connect(base_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop:
            conn.execute(f'CREATE DATABASE "{name}"')
    return urlunparse(urlparse(base_url)._replace(path=f"/{name}"))


def _production_env(data_dir: Path, database_url: str, static_root: Path) -> dict:
    from cryptography.fernet import Fernet

    return {**os.environ, "DJANGO_SETTINGS_MODULE": "hub.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "ENLACE_CREDENTIALS_KEYS": Fernet.generate_key().decode(),
            "ENLACE_DATA_DIR": str(data_dir), "STATIC_ROOT": str(static_root),
            "DATABASE_URL": database_url, "LOG_LEVEL": "WARNING",
            "CELERY_BROKER_URL": "filesystem://", "CELERY_BROKER_FOLDER": str(data_dir / "broker")}


def _start_gunicorn(env: dict, port: int, workers: int, cache_seconds: str, log: Path,
                    app: str = "hub.wsgi:application"):
    env = {**env, "ENLACE_PAGE_CACHE_SECONDS": cache_seconds}
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), app,
         "-w", str(workers), "--threads", "1", "--timeout", "120", "-b", f"127.0.0.1:{port}",
         "--error-logfile", str(log)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:  # stopped if it never answers, or if the bench is interrupted while it boots
        for _ in range(300):
            try:
                request = urllib.request.Request(base + "/salud/", headers={"X-Forwarded-Proto": "https"})
                with urllib.request.urlopen(request, timeout=2) as response:
                    if response.status == 200:
                        return process, base
            except OSError:
                time.sleep(0.2)
            if process.poll() is not None:
                break
        raise SystemExit(f"gunicorn did not start; see {log}:\n" + log.read_text()[-2000:])
    except BaseException:
        _stop(process)
        raise


def _stop(process) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGKILL)


def _x_cache(url: str) -> str:
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
    for _ in range(2):
        with urllib.request.urlopen(request, timeout=180) as response:
            response.read()
            value = response.headers.get("X-Cache", "")
    return value or "—"


def wrk(url: str, connections: int, duration: float, script: Path, proxy_header: bool = True) -> dict:
    command = [WRK, "-t", str(min(connections, 2)), "-c", str(connections), "-d", f"{duration}s",
               "--latency", "-s", str(script), "--timeout", "30s"]
    if proxy_header:
        command += ["-H", PROXY_HEADER]
    out = subprocess.run(command + [url], capture_output=True, text=True, check=False)
    line = next((x for x in out.stdout.splitlines() if x.startswith("WRKJSON ")), None)
    if line is None:
        raise SystemExit(f"wrk failed on {url}: {out.stdout[-500:]} {out.stderr[-500:]}")
    r = json.loads(line[len("WRKJSON "):])
    seconds = r["duration_us"] / 1e6 or 1
    return {"rps": r["requests"] / seconds, "p50": r["p50_us"] / 1000, "p99": r["p99_us"] / 1000,
            "bad": r["non2xx"] + r["errors"], "requests": r["requests"]}


def _merge(runs: list[dict]) -> dict:
    """Several rounds of one target: total requests over total time; worst p99, median p50."""
    runs = sorted(runs, key=lambda r: r["p50"])
    return {"rps": sum(r["rps"] for r in runs) / len(runs), "p50": runs[len(runs) // 2]["p50"],
            "p99": max(r["p99"] for r in runs), "bad": sum(r["bad"] for r in runs),
            "requests": sum(r["requests"] for r in runs)}


def prepare(shared: Path) -> None:
    """Migrate once (SQLite: a file every size copies) and collect the static files."""
    env = _production_env(shared, f"sqlite:///{shared / 'template.sqlite3'}", shared / "static")
    if os.environ.get("BENCH_DATABASE_URL"):
        env["DATABASE_URL"] = _scratch_database(os.environ["BENCH_DATABASE_URL"],
                                                "enlace_bench_pages_template")
    out = subprocess.run([sys.executable, __file__, "--prepare"], cwd=ROOT, env=env,
                         capture_output=True, text=True, check=False)
    if out.returncode != 0 or "PREPARED" not in out.stdout:
        sys.stderr.write(out.stdout[-3000:] + out.stderr[-3000:])
        raise SystemExit("preparing the database failed")
    _demo_content(env)


def run_size(size: int, args, script: Path, shared: Path) -> dict:
    base_url = os.environ.get("BENCH_DATABASE_URL")
    tmp = Path(tempfile.mkdtemp(prefix=f"enlace-bench-pages-{size}-"))
    scratch = f"enlace_bench_pages_{size}"
    if base_url:
        _scratch_database(base_url, scratch, drop=True)
        import psycopg

        with psycopg.connect(base_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{scratch}" TEMPLATE "enlace_bench_pages_template"')
        database_url = urlunparse(urlparse(base_url)._replace(path=f"/{scratch}"))
    else:
        shutil.copyfile(shared / "template.sqlite3", tmp / "bench.sqlite3")
        database_url = f"sqlite:///{tmp / 'bench.sqlite3'}"
    env = _production_env(tmp, database_url, shared / "static")
    servers = []
    try:
        started = time.perf_counter()
        out = subprocess.run([sys.executable, __file__, "--child", str(size)], cwd=ROOT,
                             env={**env, "ENLACE_PAGE_CACHE_SECONDS": "0"},
                             capture_output=True, text=True, check=False)
        line = next((x for x in out.stdout.splitlines() if x.startswith("SETUP ")), None)
        if out.returncode != 0 or line is None:
            sys.stderr.write(out.stdout[-3000:] + out.stderr[-3000:])
            raise SystemExit(f"setting up {size} rows failed")
        setup = json.loads(line[len("SETUP "):])
        print(f"  {size:,} filas: datos listos en {time.perf_counter() - started:.0f} s", flush=True)
        for name, seconds in (("uncached", "0"), ("cached", CACHE_SECONDS)):
            process, base = _start_gunicorn(env, _free_port(), args.workers, seconds,
                                            tmp / f"gunicorn-{name}.log")
            servers.append((name, process, base))
        targets = []  # (key, url, proxy header?)
        only = {x.strip() for x in args.only.split(",") if x.strip()}
        for label, template in PAGES + BASELINES:
            if only and label not in only and (label, template) not in BASELINES:
                continue
            path = _url(template, setup["urls"])
            if path is None:
                continue
            for name, _process, base in servers:
                targets.append(((label, name), base + path, True))
        if args.against:
            for path in args.against_path:
                targets.append(((f"otro {path}", "against"), urljoin(args.against, path.lstrip("/")),
                                True))  # behind the same TLS proxy
        x_cache = {label: _x_cache(servers[1][2] + _url(template, setup["urls"]))
                   for label, template in PAGES if _url(template, setup["urls"]) is not None}
        for _key, url, _proxy in targets:  # warm every worker's imports (and the other
            for _ in range(args.workers):    # server's renditions, made on first view)
                _x_cache(url)
        results: dict = {}
        for _round in range(args.rounds):
            for connections in args.concurrency:
                for key, url, proxy in targets:
                    results.setdefault((key, connections), []).append(
                        wrk(url, connections, args.duration, script, proxy))
        return {"queries": setup["queries"], "x_cache": x_cache,
                "wrk": {k: _merge(v) for k, v in results.items()}}
    finally:
        for _name, process, _base in servers:
            _stop(process)
        if base_url:
            _scratch_database(base_url, scratch, drop=True)
        shutil.rmtree(tmp, ignore_errors=True)


def report(size: int, result: dict, args) -> None:
    wrk_results = result["wrk"]
    print(f"\n=== {size:,} contactos, eventos y convenios ===")
    header = (f"{'página':<24}{'c':>3}{'sin caché req/s':>17}{'p50':>8}{'p99':>8}"
              f"{'con caché req/s':>17}{'p50':>8}{'p99':>8}{'caché×':>8}{'×salud':>8}{'×estático':>10}"
              f"{'X-Cache':>9}")
    for connections in args.concurrency:
        print(header)
        salud = wrk_results.get(((BASELINES[0][0], "uncached"), connections))
        static = wrk_results.get(((BASELINES[1][0], "cached"), connections))
        for label, _template in PAGES + BASELINES:
            u = wrk_results.get(((label, "uncached"), connections))
            c = wrk_results.get(((label, "cached"), connections))
            if not u or not c or not u["rps"] or not salud["rps"] or not static["rps"]:
                continue
            bad = " (¡errores!)" if u["bad"] or c["bad"] else ""
            print(f"{label:<24}{connections:>3}{u['rps']:>17.1f}{u['p50']:>8.1f}{u['p99']:>8.1f}"
                  f"{c['rps']:>17.1f}{c['p50']:>8.1f}{c['p99']:>8.1f}{c['rps'] / u['rps']:>8.2f}"
                  f"{u['rps'] / salud['rps']:>8.2f}{c['rps'] / static['rps']:>10.2f}"
                  f"{result['x_cache'].get(label, ''):>9}{bad}")
        for path in args.against_path if args.against else []:
            other = wrk_results.get(((f"otro {path}", "against"), connections))
            if other:
                if not other["requests"] or other["bad"]:
                    print(f"  (otro {path}: {other['requests']} respuestas, {other['bad']} errores o "
                          "no-2xx en la corrida: ¿está en marcha, responde a tiempo?)")
                print(f"{'otro ' + path:<24}{connections:>3}{other['rps']:>17.1f}{other['p50']:>8.1f}"
                      f"{other['p99']:>8.1f}   (mismo wrk, mismas rondas)")
        if args.against:
            other = wrk_results.get(((f"otro {args.against_path[0]}", "against"), connections))
            if other:
                ratios = []
                for label, _t in PAGES:
                    ours = wrk_results.get(((label, "uncached"), connections))
                    if ours and other["rps"]:
                        ratios.append(f"{label}: {ours['rps'] / other['rps']:.1f}×")
                print(f"sin caché frente a {args.against_path[0]} del otro servidor (c={connections}): "
                      + ", ".join(ratios))
    print("\nconsultas SQL por página (en proceso; sin caché / con caché, segunda petición):")
    for label, counts in result["queries"].items():
        print(f"  {label:<24}{counts['uncached']:>4} / {counts['cached']}")


def main(argv=None) -> None:
    args = parse_args(argv)
    if not os.path.exists(WRK):
        raise SystemExit(f"wrk is not installed at {WRK}: apt-get install wrk (Debian), "
                         "or set BENCH_WRK to its path")
    backend = "PostgreSQL" if os.environ.get("BENCH_DATABASE_URL") else "SQLite"
    print(f"Páginas públicas con gunicorn -w {args.workers} --threads 1 (hub.settings.production), "
          f"wrk {args.duration} s por corrida, concurrencia {args.concurrency}, "
          f"{args.rounds} ronda(s) intercaladas, {backend}; latencias en ms", flush=True)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(WRK_SCRIPT)
        script = Path(f.name)
    shared = Path(tempfile.mkdtemp(prefix="enlace-bench-pages-"))
    try:
        started = time.perf_counter()
        prepare(shared)
        print(f"  base de datos migrada y estáticos reunidos en {time.perf_counter() - started:.0f} s",
              flush=True)
        results = {}
        for size in args.sizes:  # each size's table as soon as it is measured
            results[size] = run_size(size, args, script, shared)
            report(size, results[size], args)
    finally:
        script.unlink(missing_ok=True)
        shutil.rmtree(shared, ignore_errors=True)
        if os.environ.get("BENCH_DATABASE_URL"):
            _scratch_database(os.environ["BENCH_DATABASE_URL"], "enlace_bench_pages_template",
                              drop=True)
    if len(results) > 1:
        print("\nconsultas SQL sin caché según el volumen:")
        sizes = list(results)
        print(f"  {'página':<24}" + "".join(f"{s:>8,}" for s in sizes) + "  veredicto")
        for label in results[sizes[0]]["queries"]:
            counts = [results[s]["queries"][label]["uncached"] for s in sizes]
            verdict = "estable" if len(set(counts)) == 1 else "CRECE"
            print(f"  {label:<24}" + "".join(f"{c:>8}" for c in counts) + f"  {verdict}")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        child_setup(int(sys.argv[2]))
    elif len(sys.argv) > 1 and sys.argv[1] == "--prepare":
        child_prepare()
    else:
        from _stats import stop_cleanly_on_sigterm

        stop_cleanly_on_sigterm()
        main()
