"""Memory of one web process under the soak's traffic: where it grows, in one process.

Serves the soak's mix with the production settings, in this process, through the product's
WSGI application (``hub.wsgi``: the same middleware, ``settle()``, no HTTP server), against a
database holding ``bootstrap --demo`` and (optionally) Redis for the broker and the cache.
Every cycle is what the production soak sends in 30 s: 10 posts through the API (an officer's
token, to a Telegram and an X channel of the fakes, published now), 30 public pages (round the
demo site's pages and open data) and 3 admin pages as the same officer, signed in with the
second factor given (a session verified by a confirmed TOTP device, as django-otp leaves it
after the code page).

After MEMORY_WARMUP requests (default 600), then every MEMORY_EVERY requests (default 600) up
to MEMORY_REQUESTS (default 3000), it prints: requests, RSS (MEMORY_TRIM=1: also after glibc's
``malloc_trim``, what the C allocator keeps free but has not handed back), the blocks Python's
own allocator holds (``sys.getallocatedblocks``: every small object, strings included), the
garbage collector's objects (``gc.get_objects()``: those created after ``settle()`` froze the
start-up ones) and the types whose count grew since the first checkpoint. MEMORY_TRACE=1
starts ``tracemalloc`` (MEMORY_FRAMES frames, default 25) at the first checkpoint, so only
what is allocated from then on is traced, and prints at the end the 15 largest growths by
traceback between the second and the last checkpoint (slow: several times the run without).
MEMORY_MIX (``post,public,admin``) keeps only the kinds named; MEMORY_ADMIN_PATHS replaces the
admin pages. No worker runs: the queue messages of the posts stay in the broker (use a Redis
database of your own, emptied afterwards).

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/enlace_h_memory \\
      BENCH_BROKER_URL=redis://127.0.0.1:6379/3 BENCH_REDIS_URL=redis://127.0.0.1:6379/4 \\
      MEMORY_TRACE=1 .venv/bin/python bench/memory.py

The database must hold ``manage.py migrate``, ``collectstatic`` (STATIC_ROOT under
``ENLACE_DATA_DIR``, given as BENCH_DATA_DIR) and ``bootstrap --demo``.
"""

from __future__ import annotations

import ctypes
import gc
import io
import json
import os
import secrets
import sys
import time
import tracemalloc
from collections import Counter
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

WARMUP = int(os.environ.get("MEMORY_WARMUP", "600"))
EVERY = int(os.environ.get("MEMORY_EVERY", "600"))
REQUESTS = int(os.environ.get("MEMORY_REQUESTS", "3000"))
TRACE = os.environ.get("MEMORY_TRACE") == "1"
TRIM = os.environ.get("MEMORY_TRIM") == "1"
FRAMES = int(os.environ.get("MEMORY_FRAMES", "25"))
HOST = "127.0.0.1"


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


class Browser:
    """Requests straight to a WSGI application, as an HTTPS proxy would pass them on, keeping
    cookies like a browser."""

    def __init__(self, application, headers: dict | None = None):
        self.application, self.headers, self.cookies = application, headers or {}, SimpleCookie()

    def request(self, method: str, path: str, body: bytes = b"", content_type: str = "") -> tuple:
        path, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query,
            "SERVER_NAME": HOST, "SERVER_PORT": "443", "HTTP_HOST": HOST,
            "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
            "HTTP_X_FORWARDED_PROTO": "https", "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body), "wsgi.errors": sys.stderr, "wsgi.version": (1, 0),
            "wsgi.multithread": False, "wsgi.multiprocess": True, "wsgi.run_once": False,
            "CONTENT_LENGTH": str(len(body)), "CONTENT_TYPE": content_type,
            "HTTP_ACCEPT_LANGUAGE": "es-MX,es;q=0.9",
        }
        for name, value in self.headers.items():
            environ["HTTP_" + name.upper().replace("-", "_")] = value
        if self.cookies:
            environ["HTTP_COOKIE"] = "; ".join(f"{k}={m.value}" for k, m in self.cookies.items())
        answer = {}

        def start_response(status, headers, exc_info=None):
            answer["status"], answer["headers"] = int(status.split()[0]), headers

        result = self.application(environ, start_response)
        try:
            content = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        for name, value in answer["headers"]:
            if name.lower() == "set-cookie":
                self.cookies.load(value)
        return answer["status"], content


def _officer():
    """The demo's communications officer with an API token, a confirmed TOTP device and a
    session that passed both factors; one Telegram and one X channel of the fakes."""
    from _channels import fake_network_channels
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from rest_framework.authtoken.models import Token

    officer = get_user_model().objects.get(username="comunicacion")
    institution = officer.staff_profile.institution
    channels = [c.pk for c in fake_network_channels(institution, f"memoria-{secrets.token_hex(3)}")]
    token, _ = Token.objects.get_or_create(user=officer)
    device, _ = TOTPDevice.objects.get_or_create(user=officer, name="memoria",
                                                 defaults={"confirmed": True})
    store = SessionStore()
    store[SESSION_KEY] = str(officer.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = officer.get_session_auth_hash()
    store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    store.create()
    return token.key, channels, store.session_key


def _public_paths() -> list[str]:
    from wagtail.models import Page

    from network.models import Event, Institution

    paths = ["/", "/instituciones/", "/calendario/", "/calendario/?vista=lista", "/capsulas/",
             "/datos/", "/datos/instituciones.json", "/datos/eventos.csv", "/salud/",
             "/estadisticas/", "/sitemap.xml", "/robots.txt", "/admin/login/", "/buscar/?q=transparencia"]
    paths += [f"/instituciones/{i.slug}/" for i in Institution.objects.current().order_by("pk")[:3]]
    paths += [e.get_absolute_url() for e in Event.objects.public().order_by("-pk")[:3]]
    paths += [p.url for p in Page.objects.live().public().filter(depth__gt=2).order_by("path")[:12]]
    return [p for p in dict.fromkeys(paths) if p]


# MEMORY_ADMIN_PATHS (comma-separated) replaces them.
ADMIN_PATHS = [p for p in os.environ.get("MEMORY_ADMIN_PATHS", ",".join([
    "/admin/", "/admin/campanas/envios/", "/admin/campanas/calendario/", "/admin/campanas/alcance/",
    "/admin/pages/", "/admin/snippets/campaigns/post/"])).split(",") if p]


def main() -> None:  # noqa: C901 (a script that reads top to bottom)
    from cryptography.fernet import Fernet

    data_dir = Path(os.environ.get("BENCH_DATA_DIR", "/tmp/memory-data"))
    env = {
        "DJANGO_SETTINGS_MODULE": "hub.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": f"{HOST},localhost",
        "ENLACE_CREDENTIALS_KEYS": os.environ.get("ENLACE_CREDENTIALS_KEYS")
        or Fernet.generate_key().decode(),
        "ENLACE_DATA_DIR": str(data_dir), "STATIC_ROOT": str(data_dir / "static"),
        "DATABASE_URL": os.environ["BENCH_DATABASE_URL"], "LOG_LEVEL": "WARNING",
        "CELERY_BROKER_URL": os.environ.get("BENCH_BROKER_URL", "filesystem://"),
        "CELERY_BROKER_FOLDER": str(data_dir / "broker"), "API_THROTTLE_RATE": "100000000/hour",
        "DATABASE_CONN_MAX_AGE": "60",
    }
    if os.environ.get("BENCH_REDIS_URL"):
        env["REDIS_URL"] = os.environ["BENCH_REDIS_URL"]
    os.environ.update(env)
    from campaigns.devtools.fake_networks import FakeTelegram, FakeX

    telegram, x = FakeTelegram().start(), FakeX().start()
    os.environ["TELEGRAM_API_BASE_URL"], os.environ["X_API_BASE_URL"] = telegram.url, x.url
    from hub.wsgi import application  # django.setup(), then settle() as each web process does

    token, channels, session = _officer()
    public_paths = _public_paths()
    api = Browser(application, {"Authorization": f"Token {token}"})
    public = Browser(application)
    admin = Browser(application)
    admin.cookies["sessionid"] = session
    statuses: Counter = Counter()
    n = {"post": 0, "public": 0, "admin": 0}

    def post():
        n["post"] += 1
        body = json.dumps({"text": f"Aviso de memoria {n['post']} {secrets.token_hex(4)}",
                           "channels": channels}).encode()
        status, content = api.request("POST", "/api/posts/", body, "application/json")
        statuses[f"POST /api/posts/ {status}"] += 1
        if status != 201 and statuses[f"POST /api/posts/ {status}"] == 1:
            print(f"  POST /api/posts/ answered {status}: {content[:300]!r}", flush=True)

    def page(browser, paths, kind):
        path = paths[n[kind] % len(paths)]
        n[kind] += 1
        status, content = browser.request("GET", path)
        statuses[f"{kind} {status}"] += 1
        if status >= 400 and statuses[f"{kind} {path} {status}"] == 0:
            statuses[f"{kind} {path} {status}"] += 1
            print(f"  {path} answered {status}", flush=True)

    # One cycle: the soak's 30 s (a post every 3 s, a public page every second, an admin page
    # every 10 s), interleaved as they arrive.
    # MEMORY_MIX=post,public,admin (the default) keeps only the kinds named.
    mix = set(os.environ.get("MEMORY_MIX", "post,public,admin").split(","))
    cycle = []
    for second in range(30):
        if second % 3 == 0 and "post" in mix:
            cycle.append(post)
        if "public" in mix:
            cycle.append(lambda: page(public, public_paths, "public"))
        if second % 10 == 0 and "admin" in mix:
            cycle.append(lambda: page(admin, ADMIN_PATHS, "admin"))

    def types() -> Counter:
        return Counter(type(o).__qualname__ for o in gc.get_objects())

    print(f"one process, hub.settings.production, database {env['DATABASE_URL'].split(':')[0]}, "
          f"broker {env['CELERY_BROKER_URL'].split(':')[0]}, cache "
          f"{'redis' if env.get('REDIS_URL') else 'local memory'}; {len(public_paths)} public "
          f"and {len(ADMIN_PATHS)} admin pages; tracemalloc {f'{FRAMES} frames' if TRACE else 'off'}; "
          f"RSS at start {rss_mb():.1f} MB", flush=True)
    done, first, first_types, curve = 0, None, None, []
    started = time.monotonic()
    while done < REQUESTS:
        cycle[done % len(cycle)]()
        done += 1
        if done >= WARMUP and (done - WARMUP) % EVERY == 0:
            gc.collect()
            counts = types()
            traced = tracemalloc.get_traced_memory()[0] / 2**20 if TRACE else float("nan")
            curve.append((done, rss_mb()))
            trimmed = ""
            if TRIM:  # what the C allocator holds free but has not handed back
                ctypes.CDLL("libc.so.6").malloc_trim(0)
                trimmed = f" ({rss_mb():.1f} after malloc_trim)"
            grew = ""
            if first_types is not None:
                diff = counts.copy()
                diff.subtract(first_types)
                grew = ", ".join(f"{k} +{v}" for k, v in diff.most_common(8) if v > 0)
            print(f"  {done:6d} requests ({time.monotonic() - started:5.0f} s)  RSS "
                  f"{curve[-1][1]:6.1f} MB{trimmed}  traced {traced:6.1f} MB  blocks "
                  f"{sys.getallocatedblocks()}  objects {sum(counts.values())}"
                  f"{'  grew since first: ' + grew if grew else ''}", flush=True)
            if first_types is None:
                first_types = counts
                if TRACE:  # only what is allocated from now on is traced: the growth
                    tracemalloc.start(FRAMES)
            elif TRACE and first is None:
                first = tracemalloc.take_snapshot()
            last = tracemalloc.take_snapshot() if TRACE else None
    print(f"answers: {dict(sorted(statuses.items()))}")
    print(f"requests: {n}; network calls: telegram {len(telegram.calls)}, x {len(x.calls)}")
    if len(curve) > 1:
        (a, ra), (b, rb) = curve[0], curve[-1]
        print(f"RSS {ra:.1f} → {rb:.1f} MB over {b - a} requests after warm-up: "
              f"{(rb - ra) / (b - a) * 1000:+.2f} MB per 1,000 requests")
    if TRACE and first is not None:
        ignore = [tracemalloc.Filter(False, tracemalloc.__file__)]
        stats = last.filter_traces(ignore).compare_to(first.filter_traces(ignore), "traceback")
        print("largest growths between the first and last snapshot (by traceback):")
        for stat in stats[:15]:
            print(f"  {stat.size_diff / 1024:+9.1f} KiB {stat.count_diff:+7d} blocks")
            for line in stat.traceback.format(limit=25)[-50:]:
                if "site-packages/" in line or str(ROOT) in line:
                    print("      " + line.strip().replace(str(ROOT) + "/", ""))
    telegram.stop()
    x.stop()
    from django.db import connections

    connections.close_all()


if __name__ == "__main__":
    main()
