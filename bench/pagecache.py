"""The anonymous page cache under load: a cached home page against a WhiteNoise static file.

Builds a scratch site (SQLite in a temporary folder, `bootstrap`, `collectstatic`), serves it
with gunicorn on 127.0.0.1 (production-like: DEBUG off, WhiteNoise from STATIC_ROOT) and runs
wrk against, in alternating rounds:
- `/static/hub/css/site.css` (WhiteNoise: the ceiling for anything Django answers),
- `/` answered from the page cache (`X-Cache: hit`),
- `/` rendered every time (a cookie the cache does not know makes it bypass the cache).
Prints the requests per second of each (median of the rounds) and the ratio hit / static
(target >= 0.9). Then the same comparison in process, without a server or a network (the
WSGI application called directly, BENCH_CALLS times each): the cost of Django's own layers,
steadier than wrk on a busy machine.

BENCH_REDIS_URL=redis://127.0.0.1:6379/1 puts the page cache in Redis (otherwise the file
store of the embedded default). BENCH_WORKERS (2), BENCH_CONNECTIONS (16), BENCH_SECONDS (8),
BENCH_ROUNDS (3); BENCH_KEEP=1 keeps the temporary folder.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)


def wait_until_up(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited ({server.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (our own local server)
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not answer within 60 s")


def header(url: str, name: str, cookie: str | None = None) -> str:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
        return response.headers.get(name, "")


def wrk(url: str, *, connections: int, seconds: int, cookie: str | None = None) -> float:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise SystemExit(f"{url}: {errors[1]} error answers\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])


IN_PROCESS = """
import io, sys, time
from hub.wsgi import application

def call(path):
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "",
               "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1",
               "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr,
               "SERVER_PROTOCOL": "HTTP/1.1"}
    seen = {}
    body = application(environ, lambda status, headers, exc=None: seen.update(headers))
    b"".join(body)
    body.close()
    return seen

call("/")
assert call("/").get("X-Cache") == "hit"
calls = int(sys.argv[1])
timings = {}
for _round in range(3):
    for name, path in (("static", "/static/hub/css/site.css"), ("hit", "/")):
        start = time.perf_counter()
        for _ in range(calls):
            call(path)
        timings.setdefault(name, []).append((time.perf_counter() - start) / calls)
best = {name: min(values) for name, values in timings.items()}
for name, seconds in best.items():
    print(f"  {name:9} {1 / seconds:8.0f} req/s in process ({seconds * 1e6:.0f} us each, best of 3)")
print(f"  hit / static   = {best['static'] / best['hit']:.2f} in process")
"""


def main() -> None:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed")
    workers = os.environ.get("BENCH_WORKERS", "2")
    connections = int(os.environ.get("BENCH_CONNECTIONS", "16"))
    seconds = int(os.environ.get("BENCH_SECONDS", "8"))
    rounds = int(os.environ.get("BENCH_ROUNDS", "3"))
    tmp = Path(tempfile.mkdtemp(prefix="enlace-bench-pagecache-"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "hub.settings.base",
           "ENLACE_DATA_DIR": str(tmp), "STATIC_ROOT": str(tmp / "static"),
           "ENLACE_PAGE_CACHE_SECONDS": "600", "LOG_LEVEL": "WARNING"}
    env.pop("REDIS_URL", None)
    if os.environ.get("BENCH_REDIS_URL"):
        env["REDIS_URL"] = os.environ["BENCH_REDIS_URL"]
    store = "Redis" if "REDIS_URL" in env else "files"
    server = None
    try:
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")
        manage(env, "bootstrap")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "hub.wsgi:application", "-b", f"127.0.0.1:{port}",
             "--workers", workers, "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until_up(base + "/static/hub/css/site.css", server)
        if os.environ.get("BENCH_REDIS_URL"):
            subprocess.run([sys.executable, "-c", "import django; django.setup(); "
                            "from hub import pagecache; pagecache.store().clear()"],
                           cwd=ROOT, env=env, check=True)
        header(base + "/", "X-Cache")
        assert header(base + "/", "X-Cache") == "hit", "the home page is not cached"
        assert header(base + "/", "X-Cache", cookie="bench=1") == "", "the bypass is cached"
        figures: dict[str, list[float]] = {"static": [], "hit": [], "rendered": []}
        for _round in range(rounds):
            figures["static"].append(wrk(base + "/static/hub/css/site.css",
                                         connections=connections, seconds=seconds))
            figures["hit"].append(wrk(base + "/", connections=connections, seconds=seconds))
            figures["rendered"].append(wrk(base + "/", connections=connections, seconds=seconds,
                                           cookie="bench=1"))
        median = {name: statistics.median(values) for name, values in figures.items()}
        print(f"page cache in {store}; gunicorn {workers} sync workers; wrk {connections} "
              f"connections, {rounds} rounds of {seconds} s")
        for name, values in figures.items():
            print(f"  {name:9} {median[name]:8.0f} req/s  (rounds: "
                  f"{', '.join(f'{v:.0f}' for v in values)})")
        print(f"  hit / static   = {median['hit'] / median['static']:.2f}  (target >= 0.9)")
        print(f"  hit / rendered = {median['hit'] / median['rendered']:.1f}x")
        subprocess.run([sys.executable, "-c", IN_PROCESS, os.environ.get("BENCH_CALLS", "2000")],
                       cwd=ROOT, env=env, check=True)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if os.environ.get("BENCH_KEEP"):
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    from _stats import stop_cleanly_on_sigterm  # bench/ is the script's own folder on sys.path

    stop_cleanly_on_sigterm()
    main()
