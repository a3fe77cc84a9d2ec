"""Publications: server time and SQL queries of an article page and of an issue's table of
contents (10 and 60 articles), against the trivial /salud/ view in the same run; and the time
and peak memory of making a 40-page issue PDF.

One child process builds a fresh database (SQLite in a temporary folder, or a scratch
PostgreSQL database when BENCH_DATABASE_URL is set), creates two issues (10 and 60 articles)
and requests the pages through Django's test client in-process: server time only, no network,
no page cache. A second child process, on the same database, makes the PDF of a 40-page issue
(WeasyPrint) so that its peak resident memory (ru_maxrss) is its own.

    python3 dev.py bench bench/publications.py
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python3 dev.py bench bench/publications.py
    BENCH_ROUNDS=100 ...   (timed requests per page; default 50)
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench._stats import percentile  # noqa: E402

WARMUP = 5
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "50"))
SIZES = (10, 60)
PDF_ARTICLES = 8  # × 5 pages each, plus the cover and the table of contents: 42 pages
PARAGRAPH = "<p>" + ("El derecho de acceso a la información pública permite a cualquier "
                     "persona conocer cómo se toman las decisiones públicas. ") * 18 + "</p>"


def _build(site, n: int, *, long: bool = False):
    from tests.publications import factories as f

    issue = f.issue(f.magazine(site), title=f"Número con {n} artículos")
    body = ([("heading", "Introducción"), ("paragraph", PARAGRAPH), ("paragraph", PARAGRAPH),
             ("heading", "Desarrollo"), ("paragraph", PARAGRAPH), ("paragraph", PARAGRAPH),
             ("quote", {"text": "Lo público es de todas las personas.", "attribution": ""}),
             ("paragraph", PARAGRAPH), ("heading", "Conclusiones"),
             ("paragraph", PARAGRAPH), ("paragraph", PARAGRAPH)] if long
            else [("paragraph", PARAGRAPH)])
    authors = [f.AuthorFactory() for _ in range(3)]
    articles = [f.article(issue, authors=authors[: 1 + i % 3], body=body,
                          title=f"Artículo {i + 1}: la transparencia en los municipios")
                for i in range(n)]
    return issue, articles


def _measure(client, url: str) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARMUP):
        response = client.get(url)
        if response.status_code != 200:
            return {"status": response.status_code}
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    count = len(queries)
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        times.append((time.perf_counter() - start) * 1000)
    return {"queries": count, "median": statistics.median(times), "p95": percentile(times, 95)}


def child_pages() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    settings.DEBUG = False
    settings.ENLACE_PAGE_CACHE_SECONDS = 0  # server time of a render, not of a cache hit
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    from hub.bootstrap import ensure_site

    site = ensure_site()
    from publications.domain import files

    results = {}
    client = Client(raise_request_exception=False)
    results["baseline /salud/"] = _measure(client, "/salud/")
    for n in SIZES:
        issue, articles = _build(site, n)
        results[f"índice del número (N={n})"] = _measure(client, issue.url)
        results[f"artículo (N={n})"] = _measure(client, articles[-1].url)
    # A download: the READY file of the last article, served from storage.
    (pdf,) = files.make_files(articles[-1])
    from django.urls import reverse

    results["descarga PDF"] = _measure(client, reverse("publications:file_download", kwargs={
        "file_id": pdf.pk, "version": pdf.version, "slug": articles[-1].slug, "ext": "pdf"}))
    long_issue, _ = _build(site, PDF_ARTICLES, long=True)
    print("RESULT " + json.dumps({"pages": results, "pdf_issue": long_issue.pk}))


def child_pdf(issue_id: int) -> None:
    import django

    django.setup()
    import tracemalloc

    from publications.domain import files
    from publications.models import IssuePage

    files.load_weasyprint()  # the import is not part of making a PDF
    issue = IssuePage.objects.get(pk=issue_id)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    html = files.print_html(issue)
    result = files.render_pdf(html)
    seconds = time.perf_counter() - start
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    files.render_pdf(files.print_html(issue))
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print("RESULT " + json.dumps({
        "seconds": seconds, "pages": result.page_count, "bytes": len(result.data),
        "rss_before_mb": rss_before / 1024, "rss_after_mb": rss_after / 1024,
        "tracemalloc_peak_mb": peak / 1024 / 1024}))


def _scratch_database(base_url: str, name: str, drop: bool = False) -> str:
    import psycopg

    with psycopg.connect(base_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if not drop:
            conn.execute(f'CREATE DATABASE "{name}"')
    return urlunparse(urlparse(base_url)._replace(path=f"/{name}"))


def _child(env, *args) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], cwd=ROOT, env=env,
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        sys.stderr.write(out.stdout[-3000:] + out.stderr[-3000:])
        raise SystemExit(f"el proceso {' '.join(args)} falló")
    line = next(x for x in out.stdout.splitlines() if x.startswith("RESULT "))
    return json.loads(line[len("RESULT "):])


def main() -> None:
    base_url = os.environ.get("BENCH_DATABASE_URL")
    backend = "PostgreSQL" if base_url else "SQLite"
    print(f"Publicaciones — {backend}, {ROUNDS} peticiones medidas por página "
          f"(+{WARMUP} de calentamiento), tiempo en el servidor, sin caché", flush=True)
    with tempfile.TemporaryDirectory(prefix="enlace-bench-") as data_dir:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "hub.settings.dev",
               "ENLACE_DATA_DIR": data_dir, "LOG_LEVEL": "WARNING",
               "CELERY_TASK_ALWAYS_EAGER": "false"}
        scratch = "enlace_bench_publications"
        env["DATABASE_URL"] = (_scratch_database(base_url, scratch) if base_url
                               else f"sqlite:///{data_dir}/bench.sqlite3")
        try:
            pages = _child(env, "--pages")
            pdf = _child(env, "--pdf", str(pages["pdf_issue"]))
        finally:
            if base_url:
                _scratch_database(base_url, scratch, drop=True)
    results = pages["pages"]
    base = results["baseline /salud/"]["median"]
    print(f"\n{'página':<30}{'mediana ms':>11}{'p95 ms':>9}{'× base':>8}{'consultas':>11}")
    for label, r in results.items():
        if "status" in r:
            print(f"{label:<30}  respondió {r['status']} (¿faltan las plantillas de la revista?)")
            continue
        print(f"{label:<30}{r['median']:>11.2f}{r['p95']:>9.2f}{r['median'] / base:>8.1f}"
              f"{r['queries']:>11}")
    for what in ("índice del número", "artículo"):
        counts = [results[f"{what} (N={n})"].get("queries") for n in SIZES]
        if None in counts:
            verdict = "sin medir"
        else:
            verdict = "estable" if len(set(counts)) == 1 else "CRECE"
        print(f"Consultas de «{what}» con N={SIZES[0]} y N={SIZES[1]}: "
              f"{counts[0]} → {counts[1]}  {verdict}")
    print(f"\nPDF del número ({PDF_ARTICLES} artículos, {pdf['pages']} páginas, "
          f"{pdf['bytes'] / 1024:.0f} KB): {pdf['seconds']:.2f} s; memoria: pico de "
          f"tracemalloc {pdf['tracemalloc_peak_mb']:.1f} MB, ru_maxrss del proceso "
          f"{pdf['rss_before_mb']:.0f} → {pdf['rss_after_mb']:.0f} MB")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--pages":
        child_pages()
    elif len(sys.argv) > 2 and sys.argv[1] == "--pdf":
        child_pdf(int(sys.argv[2]))
    else:
        main()
