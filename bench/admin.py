"""Signed-in screens at two data sizes: SQL queries, server time, status.

For each role (Coordinación, an officer of Comunicación, the editorial committee, a juror, an
entrant) the bench signs in (``force_login``; the demo accounts have no second factor enrolled
and development settings do not require one) and walks every screen reachable by GET from the
role's start pages: it follows the links of each page (menus, listings, their filters, ordering
and pagination, exports, edit and report pages, choosers), one address per view and set of
query parameters. The addresses found at the small size are replayed at the large size (rows are
only added), plus a far page of each paginated listing. It prints, per screen, the queries at
each size, the median and p95 server time (in process, Django's test client) at the large
size, and flags screens whose queries grow with the data, that answer 500, that take more than
``--slow`` ms, or exports that are not streamed.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/enlace_bench \\
        python bench/admin.py --small 10 --large 10000

The database must hold ``manage.py bootstrap --demo``; ``bench/_admin_data.py`` grows it.
Each size is measured in its own process (``--measure N --urls file``). ``--paths`` measures
only the addresses given, as Coordinación and the officer; with ``--no-grow``,
``BENCH_SMALL_DATABASE_URL`` names a second database grown to ``--small`` (two databases grown
once, measured as often as needed, e.g. before and after a change):

    BENCH_SMALL_DATABASE_URL=postgres://…/enlace_small BENCH_DATABASE_URL=postgres://…/enlace_big \
        python bench/admin.py --no-grow --paths /admin/ '/admin/campanas/calendario/?fecha=2026-05-07'

"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from html import unescape
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ROLES = {
    "coordinacion": ["/admin/"],
    "comunicacion": ["/admin/", "/api/posts/", "/api/channels/"],
    "editorial": ["/admin/"],
    "jurado": ["/jurado/"],
    "participante": ["/concursos/perfil/", "/concursos/"],
}
PREFIXES = ("/admin/", "/jurado/", "/concursos/perfil", "/concursos/participacion", "/api/posts",
            "/api/channels", "/concursos/mis-", "/cuentas/")
SKIP = re.compile(r"logout|/2fa/|/delete/|/eliminar|/unpublish|/revisions/\d+/revert|/lock/|/unlock/"
                  r"|/cuentas/(?!email)|/copy/|/move/|/confirm|/password|/usage/|/history/\d"
                  r"|/preview|/compare/|/workflow/cancel|/sprite|jsi18n|chosen-multiple|failwhale|block-preview"
                  r"|dismissibles|/login/|\.\*|/process/|/api/main/")
HREF = re.compile(r'href="([^"#]+)"|(?:&quot;|")url(?:&quot;|"): ?(?:&quot;|")(/[^"&#]+)')
PAGE_KEYS = {"p", "page", "pagina"}


def _key(url: str) -> tuple:
    """One address per view, path shape and set of query parameter names (values of
    ordering/filters kept: each is its own query)."""
    from django.urls import Resolver404, resolve

    parts = urlsplit(url)
    try:
        match = resolve(parts.path)
        view = match.route
    except Resolver404:
        view = parts.path
    pairs = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if k not in PAGE_KEYS and k != "next"]
    exported = [(k, v) for k, v in pairs if k in ("export", "formato")]
    if exported:  # an export once per view and format, whatever the listing's ordering
        return view, tuple(exported)
    query = tuple(sorted((k, v.lstrip("-") if k in ("ordering", "estado", "state", "vista") else "")
                         for k, v in pairs))
    return view, query


def _static_routes(prefix: str = "/") -> list[str]:
    """Every URL without parameters under the admin (menus that are drawn by JavaScript)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    found = []

    def walk(patterns, base):
        for entry in patterns:
            route = str(entry.pattern)
            if "<" in route or "(?P" in route or route.startswith("^"):
                if not (route.startswith("^") and "(?P" not in route):
                    continue
                route = route.lstrip("^").rstrip("$").replace("\\", "")
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, base + route)
            elif isinstance(entry, URLPattern):
                found.append(base + route)

    walk(get_resolver().url_patterns, prefix)
    return sorted({u for u in found if u.startswith("/admin/") and not SKIP.search(u)
                   and "." not in u.rsplit("/", 1)[-1]})


def crawl(client, starts: list[str], limit: int) -> list[str]:
    seen_keys, found, queue = set(), [], list(starts)
    while queue and len(found) < limit:
        url = queue.pop(0)
        key = _key(url)
        if key in seen_keys:
            continue
        seen_keys.add(key)
        response = client.get(url, HTTP_ACCEPT=_accept(url))
        if response.status_code in (403, 404, 405) and url not in starts[:3]:
            continue  # a generic route this role cannot open: not a screen of theirs
        found.append(url)
        ctype = response.get("Content-Type", "")
        if response.streaming or "html" not in ctype:
            continue
        for pair in HREF.findall(response.content.decode(errors="replace")):
            href = unescape(pair[0] or pair[1])
            if href.startswith("http"):
                continue
            if href.startswith("?"):
                href = urlsplit(url).path + href
            if not href.startswith(PREFIXES) or SKIP.search(href):
                continue
            if _key(href) not in seen_keys:
                queue.append(href)
    return found


def _accept(url: str) -> str:
    return "application/json" if url.startswith("/api/") else "text/html"


def _far(url: str, page: int) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in PAGE_KEYS]
    return parts.path + "?" + urlencode(query + [("p", str(page))])


def _login(username: str):
    from django.contrib.auth.models import User
    from django.test import Client

    client = Client(raise_request_exception=False)
    user = User.objects.get(username=username)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    if username == "comunicacion":
        from rest_framework.authtoken.models import Token

        token, _ = Token.objects.get_or_create(user=user)
        client.defaults["HTTP_AUTHORIZATION"] = f"Token {token.key}"
    return client


def measure(size: int, urls_file: Path, crawl_limit: int, repeats: int,
            paths: list[str] | None = None) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.DEBUG = False
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}
    urls = json.loads(urls_file.read_text()) if urls_file.exists() else {}
    results = {}
    roles = ROLES if not paths else {"coordinacion": paths, "comunicacion": paths}
    for role, starts in roles.items():
        client = _login(role)
        if paths:
            urls[role] = list(paths)
        elif role not in urls:
            seeds = starts + (_static_routes() if starts[0] == "/admin/" else [])
            urls[role] = crawl(client, seeds, crawl_limit)
        targets = list(urls[role])
        if size > 100 and not paths:  # a far page of each listing that paginates
            targets += [_far(u, 40) for u in urls[role] if "?" not in u and u.endswith("/")
                        and "/edit/" not in u and re.search(r"/\d+/$", u) is None]
        for url in targets:
            timings, queries, status, streaming = [], 0, 0, False
            for _attempt in range(repeats):
                cache.clear()
                connection.queries_log.clear()
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    response = client.get(url, HTTP_ACCEPT=_accept(url))
                    body = b"".join(response) if response.streaming else response.content
                    timings.append((time.perf_counter() - started) * 1000)
                queries, status, streaming = len(captured), response.status_code, response.streaming
                if status == 404 and "p=40" in url:
                    break
            print(f"{size} {role} {url} {status} {queries} {statistics.median(timings):.0f}ms",
                  file=sys.stderr, flush=True)
            results[f"{role} {url}"] = {"status": status, "queries": queries, "ms": timings,
                                        "streaming": streaming, "bytes": len(body),
                                        "type": response.get("Content-Type", "")}
    urls_file.write_text(json.dumps(urls))
    print("RESULT " + json.dumps(results), flush=True)


def _run(size: int, urls_file: Path, args) -> dict:
    # A second database already grown to --small keeps the large one as it is (--no-grow).
    small_db = os.environ.get("BENCH_SMALL_DATABASE_URL") if size == args.small else None
    env = {**os.environ, "DATABASE_URL": small_db or os.environ["BENCH_DATABASE_URL"],
           "DJANGO_SETTINGS_MODULE": "hub.settings.dev"}
    if args.grow:
        subprocess.run([sys.executable, str(ROOT / "bench" / "_admin_data.py"), str(size)], env=env,
                       check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    out = subprocess.run([sys.executable, __file__, "--measure", str(size), "--urls", str(urls_file),
                          "--crawl-limit", str(args.crawl_limit),
                          "--repeats", str(args.repeats if size > args.small else 1),
                          *(["--paths", *args.paths] if args.paths else [])],
                         env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("RESULT ")), None)
    if line is None:
        sys.stderr.write(out.stdout[-4000:] + out.stderr[-4000:])
        raise SystemExit(f"measuring {size} failed")
    return json.loads(line[7:])


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=10)
    parser.add_argument("--large", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--crawl-limit", type=int, default=250, help="addresses per role")
    parser.add_argument("--slow", type=float, default=300.0, help="flag screens slower (ms, median)")
    parser.add_argument("--no-grow", dest="grow", action="store_false",
                        help="measure the database as it is (no rows added)")
    parser.add_argument("--urls", type=Path, default=Path("/tmp/enlace-bench-admin-urls.json"))
    parser.add_argument("--paths", nargs="+", help="measure only these addresses (as Coordinación "
                        "and the officer), no crawl: e.g. /admin/ '/admin/campanas/calendario/'")
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, help="also write every figure here")
    args = parser.parse_args(argv)
    if args.measure is not None:
        measure(args.measure, args.urls, args.crawl_limit, args.repeats, args.paths)
        return
    if not os.environ.get("BENCH_DATABASE_URL"):
        print("bench/admin.py grows a database of its own: set BENCH_DATABASE_URL to one that "
              "holds `manage.py bootstrap --demo` (see the README's Benchmarks); skipped.")
        return
    args.urls.unlink(missing_ok=True)
    small = _run(args.small, args.urls, args)
    large = _run(args.large, args.urls, args)
    if args.json:
        args.json.write_text(json.dumps({"small": small, "large": large}))
    report(small, large, args)


def report(small: dict, large: dict, args) -> None:
    rows, flags = [], []
    for key, big in large.items():
        little = small.get(key)
        far = "p=40" in key and little is None
        if far:
            little = small.get(key.split("?")[0]) or small.get(re.sub(r"[?&]p=40", "", key))
        q_small = little["queries"] if little else None
        median = statistics.median(big["ms"])
        p95 = sorted(big["ms"])[max(0, round(0.95 * len(big["ms"])) - 1)]
        why = []
        if big["status"] >= 500:
            why.append(f"HTTP {big['status']}")
        if q_small is not None and big["status"] == 200 and big["queries"] > q_small + 2:
            why.append("queries grow")
        if median > args.slow:
            why.append("slow")
        if big["status"] == 200 and any(t in big["type"] for t in ("csv", "spreadsheet")) \
                and not big["streaming"]:
            why.append("export not streamed")
        rows.append((key, big["status"], q_small, big["queries"], median, p95, big["bytes"], why))
        if why:
            flags.append(key)
    rows.sort(key=lambda r: -r[4])
    print(f"{'screen':<90} {'st':>3} {'q@' + str(args.small):>6} {'q@' + str(args.large):>7} "
          f"{'p50 ms':>8} {'p95 ms':>8} {'KiB':>7}  flags")
    for key, status, qs, ql, med, p95, size, why in rows:
        print(f"{key[:90]:<90} {status:>3} {qs if qs is not None else '-':>6} {ql:>7} {med:>8.1f} "
              f"{p95:>8.1f} {size / 1024:>7.0f}  {', '.join(why)}")
    print(f"\n{len(rows)} screens measured, {len(flags)} flagged")


if __name__ == "__main__":
    main()
