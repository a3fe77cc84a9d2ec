"""The contest deadline rush: 500 entries of 5 MB sent at once to gunicorn, then one 1 GB upload.

Sets up a fresh database (SQLite in a temporary folder, or a scratch PostgreSQL database
when BENCH_DATABASE_URL is set) with the demo call and BENCH_ENTRIES signed-in entrants
(sessions written directly, no password hashing), serves the app with gunicorn on 127.0.0.1
and sends every entry over the real HTTP flow from BENCH_CLIENTS concurrent clients (threads,
one connection each, stdlib only): start a draft in the SPOT category, upload a distinct WAV
of BENCH_FILE_MB MB (~30 s of noise) as JSON, submit as JSON. One Celery worker on the embedded
broker sends the receipts; the script reports how long after the rush every receipt was out.

Prints entries attempted, 2xx submissions, entries stored (must equal the 2xx answers),
stored files whose SHA-256 differs from the client's (must be 0), errors by status,
throughput, latency percentiles per step and per entry; two baselines measured in the same
run under the same concurrency (GET /salud/, and the same multipart 5 MB POST to /salud/,
which Django parses to a temporary file before the trivial view answers) with the ratios;
then the RSS of the gunicorn master and workers, sampled every 0.1 s, while one client
streams a BENCH_BIG_MB file (a valid-looking MP4 generated on the fly) to the VID category.
Nothing is asserted: a "FAIL:" line says when stored != 2xx or a hash differs.

    python3 dev.py bench bench/contests_rush.py
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python3 dev.py bench bench/contests_rush.py
    BENCH_ENTRIES=40 BENCH_CLIENTS=10 BENCH_BIG_MB=64 ...   (a quick run)

Other knobs: BENCH_FILE_MB (5), BENCH_BIG_MB (1024; 0 skips the big upload), BENCH_WORKERS
(gunicorn sync workers, 4), BENCH_KEEP=1 keeps the temporary folder (and prints it).
"""

from __future__ import annotations

import hashlib
import http.client
import io
import json
import os
import queue
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import wave
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode, urlparse, urlunparse

from _stats import percentile, stop_cleanly_on_sigterm  # bench/ is the script's own folder on sys.path

ROOT = Path(__file__).resolve().parent.parent
ENTRIES = int(os.environ.get("BENCH_ENTRIES", "500"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "50"))
FILE_MB = float(os.environ.get("BENCH_FILE_MB", "5"))
BIG_MB = int(os.environ.get("BENCH_BIG_MB", "1024"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
KEEP = os.environ.get("BENCH_KEEP") == "1"
MB = 1024 * 1024
BASELINE_GETS_PER_CLIENT = 20
BASELINE_POSTS = 100
HTTP_TIMEOUT = 900
# Settings that would send files, mail or the database outside the temporary folder.
OUTSIDE = ("DATABASE_URL", "AWS_STORAGE_BUCKET_NAME", "EMAIL_HOST", "ENLACE_PRIVATE_ROOT",
           "FILE_UPLOAD_TEMP_DIR", "MEDIA_ROOT", "REDIS_URL", "CELERY_BROKER_URL", "CELERY_BROKER_FOLDER",
           "CELERY_TASK_ALWAYS_EAGER")
JOBS_TIMEOUT = float(os.environ.get("BENCH_JOBS_TIMEOUT", "300"))
ENTRY_PATH = re.compile(r"^/concursos/participacion/([0-9a-f-]{36})/$")


# --- Children (django.setup() with the server's environment) ----------------------------------


def setup_child(out_path: str) -> None:
    """Migrate, create the demo call and the signed-in entrants; write what clients need."""
    import datetime as dt

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from allauth.account.models import EmailAddress
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import transaction
    from django.middleware.csrf import _get_new_csrf_string
    from django.utils import timezone

    from contests.demo import create_call
    from contests.models import EntrantProfile
    from hub.bootstrap import ensure_site

    home = ensure_site()
    call = create_call(home, spot_max_mb=max(10, int(FILE_MB) + 5), video_max_mb=max(1100, BIG_MB + 64))
    categories = {c.code: c.pk for c in call.categories.all()}
    User = get_user_model()
    now = timezone.now()
    count = ENTRIES + 1  # the last one sends the big file
    with transaction.atomic():
        User.objects.bulk_create([
            User(username=f"rush{i:05d}", email=f"rush{i:05d}@bench.invalid",
                 password=make_password(None)) for i in range(count)])
        users = list(User.objects.filter(username__startswith="rush").order_by("username"))
        EmailAddress.objects.bulk_create([
            EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users])
        EntrantProfile.objects.bulk_create([
            EntrantProfile(user=u, full_name=f"Participante {u.username}", state="JAL", school="UdeG",
                           education_level="licenciatura", birth_date=dt.date(2000, 1, 1),
                           privacy_accepted_at=now) for u in users])
        clients = []
        for user in users:
            session = SessionStore()
            session[SESSION_KEY] = user._meta.pk.value_to_string(user)
            session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.create()
            clients.append({"session": session.session_key, "csrf": _get_new_csrf_string()})
    Path(out_path).write_text(json.dumps({"call": call.pk, "spot": categories["SPOT"],
                                          "vid": categories["VID"], "users": clients}))


def verify_child(expected_path: str) -> None:
    """Compare what was stored with what the clients sent and were told."""
    import django

    django.setup()
    from contests.models import Entry, EntryFile

    expected = json.loads(Path(expected_path).read_text())
    sent = expected["sent"]  # public_id -> client SHA-256, every draft whose upload was attempted
    spot = Entry.objects.filter(category__code="SPOT")
    result = {
        "drafts": spot.count(),
        "submitted": spot.filter(status="enviada").count(),
        "with_folio": spot.exclude(folio=None).count(),
        "files": EntryFile.objects.filter(entry__category__code="SPOT").count(),
        "lost": [],  # 2xx submission whose entry is not stored as submitted
        "mismatches": [],
    }
    submitted = set(str(p) for p in spot.filter(status="enviada").values_list("public_id", flat=True))
    result["lost"] = sorted(set(expected["submitted_2xx"]) - submitted)
    result["submitted_without_2xx"] = len(submitted - set(expected["submitted_2xx"]))

    def disk_sha(entry_file) -> str:
        digest = hashlib.sha256()
        with entry_file.file.storage.open(entry_file.file.name, "rb") as handle:
            for chunk in iter(lambda: handle.read(MB), b""):
                digest.update(chunk)
        return digest.hexdigest()

    for f in EntryFile.objects.filter(entry__category__code="SPOT").select_related("entry"):
        public_id = str(f.entry.public_id)
        try:
            on_disk = disk_sha(f)
        except OSError as exc:
            on_disk = f"missing: {exc}"
        client = sent.get(public_id, "unknown entry")
        if not (on_disk == f.sha256 == client):
            result["mismatches"].append({"entry": public_id, "folio": f.entry.folio, "disk": on_disk,
                                         "db": f.sha256, "client": client})
    big = expected.get("big")
    if big:
        f = EntryFile.objects.filter(entry__public_id=big["public_id"], slot="video").first()
        result["big"] = None if f is None else {"db": f.sha256, "disk": disk_sha(f), "size": f.size}
    data_dir = Path(os.environ["ENLACE_DATA_DIR"])
    result["leftover_uploads"] = sum(1 for p in (data_dir / "uploads").rglob("*") if p.is_file())
    result["mails"] = count_mails(data_dir)
    print("RESULT " + json.dumps(result))


def count_mails(data_dir: Path) -> int:
    """The file backend appends messages sent in the same second to one file: count messages."""
    return sum(line.startswith("Message-ID:") for p in (data_dir / "mail").glob("*")
               for line in p.read_text(errors="replace").splitlines())


def start_worker(env: dict, log_path: Path) -> subprocess.Popen:
    """One Celery worker on the embedded broker: the receipts are its jobs."""
    return subprocess.Popen([sys.executable, "-m", "celery", "-A", "hub", "worker", "--pool", "solo",
                             "--loglevel", "WARNING"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=open(log_path, "w"))


def wait_for_receipts(data_dir: Path, expected: int) -> float | None:
    """Seconds from the end of the rush until the worker has e-mailed every receipt."""
    started = time.perf_counter()
    while time.perf_counter() - started < JOBS_TIMEOUT:
        if count_mails(data_dir) >= expected:
            return time.perf_counter() - started
        time.sleep(0.5)
    return None


def run_child(mode: str, arg: str, env: dict) -> str:
    out = subprocess.run([sys.executable, __file__, mode, arg], cwd=ROOT, env=env, capture_output=True,
                         text=True, check=False)
    if out.returncode != 0:
        sys.stderr.write(out.stdout[-3000:] + out.stderr[-5000:])
        raise SystemExit(f"the {mode} child failed")
    return out.stdout


# --- The server ------------------------------------------------------------------------------


def scratch_database(tmp: Path) -> tuple[str, callable]:
    base = os.environ.get("BENCH_DATABASE_URL")
    if not base:
        return f"sqlite:///{tmp / 'bench.sqlite3'}", lambda: None
    import psycopg

    name = "enlace_bench_rush"
    admin = urlunparse(urlparse(base)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlunparse(urlparse(base)._replace(path=f"/{name}")), drop


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(env: dict, port: int, log_path: Path) -> subprocess.Popen:
    log = open(log_path, "ab")  # noqa: SIM115 (closed with the process, in stop_gunicorn)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "hub.wsgi:application", "-b", f"127.0.0.1:{port}",
         "-w", str(WORKERS), "--timeout", "600", "--graceful-timeout", "5", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=log, stderr=log)
    server.log = log
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited ({server.returncode}); see {log_path}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/salud/")
            if conn.getresponse().status == 200:
                conn.close()
                return server
            conn.close()
        except OSError:
            pass
        time.sleep(0.2)
    stop_gunicorn(server)
    raise SystemExit("gunicorn did not answer /salud/ within 60 s")


def stop_gunicorn(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    server.log.close()


def server_pids(master: int) -> list[int]:
    pids = [master]
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == master:
            pids.append(int(entry.name))
    return pids


def rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


# --- The clients -----------------------------------------------------------------------------


class Connection:
    """One client's keep-alive connection (http.client reopens it when the server closes it)."""

    def __init__(self, port: int):
        self.http = http.client.HTTPConnection("127.0.0.1", port, timeout=HTTP_TIMEOUT, blocksize=MB)

    def request(self, method, path, body=None, headers=None) -> tuple[int | str, dict, bytes, float]:
        started = time.perf_counter()
        try:
            self.http.request(method, path, body=body, headers=headers or {})
            response = self.http.getresponse()
            data = response.read()
            status, response_headers = response.status, dict(response.getheaders())
        except (OSError, http.client.HTTPException) as exc:
            self.http.close()
            status, response_headers, data = f"{type(exc).__name__}", {}, str(exc).encode()
        return status, response_headers, data, (time.perf_counter() - started) * 1000

    def close(self):
        self.http.close()


def as_json(data: bytes) -> dict:
    try:
        answer = json.loads(data)
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}


def auth_headers(user: dict) -> dict:
    return {"Cookie": f"sessionid={user['session']}; csrftoken={user['csrf']}", "X-CSRFToken": user["csrf"]}


def multipart(filename: str, content_type: str, size: int) -> tuple[str, bytes, bytes, int]:
    """(Content-Type header, bytes before the file, bytes after it, total length)."""
    boundary = f"----enlace-bench-{uuid.uuid4().hex}"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n"
            f"Content-Type: {content_type}\r\n\r\n").encode()
    foot = f"\r\n--{boundary}--\r\n".encode()
    return f"multipart/form-data; boundary={boundary}", head, foot, len(head) + size + len(foot)


def make_wav(target_bytes: int) -> tuple[bytes, str]:
    """A WAV of about ``target_bytes`` lasting under the spot limit of 30 s; noise samples."""
    for rate, channels, width in ((44100, 2, 2), (48000, 2, 3), (96000, 2, 3), (192000, 2, 4)):
        frame = channels * width
        frames = (target_bytes - 44) // frame
        if frames / rate <= 29.9:
            buffer = io.BytesIO()
            with wave.open(buffer, "wb") as w:
                w.setnchannels(channels)
                w.setsampwidth(width)
                w.setframerate(rate)
                w.writeframes(os.urandom(frames * frame))
            return buffer.getvalue(), f"{frames / rate:.1f} s, {rate} Hz, {width * 8}-bit stereo"
    raise SystemExit(f"BENCH_FILE_MB={FILE_MB} does not fit in a 30-second WAV")


class SpotFiles:
    """Each entry's WAV is the same noise with its own last 64 bytes, so the clients share one
    buffer and the hash of the common part is computed once."""

    TAIL = 64

    def __init__(self, target_bytes: int):
        wav, self.description = make_wav(target_bytes)
        self.size = len(wav)
        self.prefix = memoryview(wav)[:-self.TAIL]
        self.prefix_digest = hashlib.sha256(self.prefix)
        self.salt = os.urandom(16)

    def file(self, index: int) -> tuple[list, str]:
        tail = hashlib.sha256(self.salt + str(index).encode()).digest() * 2
        digest = self.prefix_digest.copy()
        digest.update(tail)
        return [self.prefix, tail], digest.hexdigest()


def run_entry(conn: Connection, index: int, user: dict, ctx: dict) -> dict:
    record = {"index": index, "steps": [], "status": [], "error": None, "public_id": None,
              "submitted": False, "sha_checks": []}
    headers = auth_headers(user)
    started = time.perf_counter()

    def failed(step, status, data):
        record["error"] = (step, status, data[:300].decode("utf-8", "replace"))
        record["entry_ms"] = (time.perf_counter() - started) * 1000
        return record

    form = urlencode({"category": ctx["spot"], "title": f"Spot {index}", "client_token": uuid.uuid4().hex})
    status, rh, data, ms = conn.request(
        "POST", f"/concursos/convocatoria/{ctx['call']}/participar/", form.encode(),
        {**headers, "Content-Type": "application/x-www-form-urlencoded"})
    record["steps"].append(ms)
    record["status"].append(status)
    match = ENTRY_PATH.match(urlparse(rh.get("Location", "")).path) if status == 302 else None
    if not match:
        return failed(1, status, data)
    record["public_id"] = public_id = match.group(1)

    parts, sha = ctx["files"].file(index)
    record["sha"] = sha
    content_type, head, foot, length = multipart(f"spot-{index}.wav", "audio/wav", ctx["files"].size)
    status, rh, data, ms = conn.request(
        "POST", f"/concursos/participacion/{public_id}/archivo/audio/", [head, *parts, foot],
        {**headers, "Content-Type": content_type, "Content-Length": str(length),
         "Accept": "application/json"})
    record["steps"].append(ms)
    record["status"].append(status)
    if status != 200:
        return failed(2, status, data)
    record["sha_checks"].append(as_json(data).get("sha256") == sha)

    status, rh, data, ms = conn.request(
        "POST", f"/concursos/participacion/{public_id}/enviar/", b"",
        {**headers, "Content-Length": "0", "Accept": "application/json"})
    record["steps"].append(ms)
    record["status"].append(status)
    if not (isinstance(status, int) and 200 <= status < 300):
        return failed(3, status, data)
    answer = as_json(data)
    record["submitted"] = True
    record["folio"] = answer.get("folio")
    record["sha_checks"].append([f.get("sha256") for f in answer.get("files", [])] == [sha])
    record["entry_ms"] = (time.perf_counter() - started) * 1000
    return record


def concurrently(port: int, jobs: list, work) -> tuple[list, float]:
    """Run ``work(conn, job)`` for every job from CLIENTS threads, one connection each."""
    pending = queue.SimpleQueue()
    for job in jobs:
        pending.put(job)

    def client(_k):
        conn, results = Connection(port), []
        try:
            while True:
                try:
                    job = pending.get_nowait()
                except queue.Empty:
                    return results
                results.append(work(conn, job))
        finally:
            conn.close()

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        results = [r for chunk in pool.map(client, range(CLIENTS)) for r in chunk]
    return results, time.perf_counter() - started


def baselines(port: int, ctx: dict) -> dict:
    concurrently(port, [None] * (CLIENTS * 2), lambda c, _j: c.request("GET", "/salud/"))  # warm-up
    gets, wall = concurrently(port, [None] * (CLIENTS * BASELINE_GETS_PER_CLIENT),
                              lambda c, _j: c.request("GET", "/salud/"))
    result = {"get": {"ms": [g[3] for g in gets if g[0] == 200], "rate": len(gets) / wall,
                      "errors": Counter(g[0] for g in gets if g[0] != 200)}}
    user = ctx["users"][-1]

    def post(conn, index):
        parts, _sha = ctx["files"].file(-1 - index)
        content_type, head, foot, length = multipart("salud.wav", "audio/wav", ctx["files"].size)
        return conn.request("POST", "/salud/", [head, *parts, foot],
                            {"Cookie": f"csrftoken={user['csrf']}", "X-CSRFToken": user["csrf"],
                             "Content-Type": content_type, "Content-Length": str(length)})

    posts, wall = concurrently(port, list(range(BASELINE_POSTS)), post)
    result["post"] = {"ms": [p[3] for p in posts if p[0] == 200], "rate": len(posts) / wall,
                      "errors": Counter(p[0] for p in posts if p[0] != 200)}
    return result


# --- The big upload --------------------------------------------------------------------------


def mp4_stream(total: int, digest) -> callable:
    """A ``total``-byte MP4 (ftyp, moov with an mvhd, one mdat of noise), generated in 1 MiB
    chunks and hashed on the way; never held in memory."""
    ftyp = struct.pack(">I4s4sI4s4s", 24, b"ftyp", b"isom", 0x200, b"isom", b"mp41")
    matrix = (0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
    mvhd = struct.pack(">I4sB3xIIIIIH10x9I24xI", 108, b"mvhd", 0, 0, 0, 1000, 60_000, 0x10000, 0x100,
                       *matrix, 2)
    moov = struct.pack(">I4s", 8 + len(mvhd), b"moov") + mvhd
    header_len = len(ftyp) + len(moov) + 8
    mdat = struct.pack(">I4s", total - len(ftyp) - len(moov), b"mdat")
    block = os.urandom(MB)

    def chunks():
        first = ftyp + moov + mdat
        digest.update(first)
        yield first
        left = total - header_len
        while left > 0:
            piece = block if left >= MB else block[:left]
            digest.update(piece)
            left -= len(piece)
            yield piece

    return chunks


def big_upload(port: int, server: subprocess.Popen, ctx: dict) -> dict:
    user = ctx["users"][-1]
    conn = Connection(port)
    form = urlencode({"category": ctx["vid"], "title": "Video grande", "client_token": uuid.uuid4().hex})
    status, rh, data, _ms = conn.request(
        "POST", f"/concursos/convocatoria/{ctx['call']}/participar/", form.encode(),
        {**auth_headers(user), "Content-Type": "application/x-www-form-urlencoded"})
    match = ENTRY_PATH.match(urlparse(rh.get("Location", "")).path) if status == 302 else None
    if not match:
        return {"error": f"draft: {status} {data[:300]!r}"}
    public_id = match.group(1)
    total = BIG_MB * MB
    digest = hashlib.sha256()
    chunks = mp4_stream(total, digest)
    content_type, head, foot, length = multipart("video.mp4", "video/mp4", total)

    def body():
        yield head
        yield from chunks()
        yield foot

    samples, stop = [], threading.Event()
    pids = server_pids(server.pid)

    def sample():
        while not stop.is_set():
            samples.append({pid: rss_kb(pid) for pid in pids})
            time.sleep(0.1)

    before = {pid: rss_kb(pid) for pid in pids}
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    status, rh, data, ms = conn.request(
        "POST", f"/concursos/participacion/{public_id}/archivo/video/", body(),
        {**auth_headers(user), "Content-Type": content_type, "Content-Length": str(length),
         "Accept": "application/json"})
    stop.set()
    sampler.join()
    conn.close()
    after = {pid: rss_kb(pid) for pid in pids}
    answer = as_json(data) if status == 200 else {}
    peak_total = max(sum(s.values()) for s in [before, *samples, after])
    per_process = max(max(s[pid] for s in [before, *samples, after]) - before[pid] for pid in pids)
    return {"public_id": public_id, "status": status, "seconds": ms / 1000, "client_sha": digest.hexdigest(),
            "answer_sha": answer.get("sha256"), "answer_size": answer.get("size"), "size": total,
            "body": "" if status == 200 else data[:500].decode("utf-8", "replace"),
            "processes": len(pids), "before_mb": sum(before.values()) / 1024,
            "peak_mb": peak_total / 1024, "after_mb": sum(after.values()) / 1024,
            "growth_mb": (peak_total - sum(before.values())) / 1024,
            "process_growth_mb": per_process / 1024, "samples": len(samples)}


# --- Report ----------------------------------------------------------------------------------


def latency_row(label: str, values: list) -> str:
    if not values:
        return f"{label:<34}{'—':>9}"
    return (f"{label:<34}{percentile(values, 50):>9.1f}{percentile(values, 95):>9.1f}"
            f"{percentile(values, 99):>9.1f}{max(values):>9.1f}{len(values):>7}")


def report(records: list, wall: float, base: dict, check: dict, big: dict | None, files: SpotFiles,
           log_path: Path) -> None:
    ok2xx = [r for r in records if r["submitted"]]
    errors = Counter(f"step {r['error'][0]}: {r['error'][1]}" for r in records if r["error"])
    answered_mismatch = sum(1 for r in records for ok in r["sha_checks"] if not ok)
    mismatches = len(check["mismatches"]) + answered_mismatch
    uploaded = sum(1 for r in records if len(r["status"]) >= 2 and r["status"][1] == 200)
    rows = [
        ("entries attempted", len(records)),
        ("2xx submissions (step 3)", len(ok2xx)),
        ("entries stored (status enviada)", check["submitted"]),
        ("drafts created / with folio", f"{check['drafts']} / {check['with_folio']}"),
        ("files stored (SPOT)", check["files"]),
        ("hash mismatches (disk/DB/client)", len(check["mismatches"])),
        ("hash mismatches in the answers", answered_mismatch),
        ("2xx lost / stored without 2xx", f"{len(check['lost'])} / {check['submitted_without_2xx']}"),
        ("errors by status", ", ".join(f"{k} ×{v}" for k, v in sorted(errors.items())) or "none"),
        ("receipts e-mailed by the worker", f"{check['mails']}"
                                            + (f" (all within {check['drain']:.1f} s of the rush's end)"
                                               if check.get("drain") is not None else " (not all in time)")),
        ("temporary uploads left behind", check["leftover_uploads"]),
        ("wall time", f"{wall:.1f} s"),
        ("throughput", f"{len(ok2xx) / wall:.2f} entries/s, "
                       f"{uploaded * files.size / MB / wall:.1f} MB/s of files uploaded"),
    ]
    print()
    for label, value in rows:
        print(f"{label:<34}{value}")
    print(f"\n{'latency, ms':<34}{'p50':>9}{'p95':>9}{'p99':>9}{'max':>9}{'n':>7}")
    for step, label in enumerate(["1 start draft (302)", f"2 upload {files.size / MB:.1f} MB (200)",
                                  "3 submit (201)"]):
        print(latency_row(label, [r["steps"][step] for r in records
                                  if len(r["status"]) > step and isinstance(r["status"][step], int)
                                  and r["status"][step] < 400]))
    entry_ms = [r["entry_ms"] for r in ok2xx]
    print(latency_row("entry (1+2+3), submitted ones", entry_ms))
    print(latency_row("baseline GET /salud/", base["get"]["ms"]))
    print(latency_row(f"baseline POST {files.size / MB:.1f} MB /salud/", base["post"]["ms"]))
    upload_ms = [r["steps"][1] for r in records if len(r["status"]) > 1 and r["status"][1] == 200]
    if entry_ms and base["get"]["ms"]:
        print(f"\nbaseline GET /salud/: {base['get']['rate']:.0f} req/s with {CLIENTS} clients; "
              f"POST {files.size / MB:.1f} MB /salud/: {base['post']['rate']:.1f} req/s"
              + (f"; baseline errors {dict(base['get']['errors'] + base['post']['errors'])}"
                 if base["get"]["errors"] or base["post"]["errors"] else ""))
        ratio = percentile(entry_ms, 50) / percentile(base["get"]["ms"], 50)
        print(f"entry p50 / GET /salud/ p50: {ratio:.1f}×")
    if upload_ms and base["post"]["ms"]:
        print(f"upload p50 / POST {files.size / MB:.1f} MB /salud/ p50: "
              f"{percentile(upload_ms, 50) / percentile(base['post']['ms'], 50):.2f}×")
    if big:
        print()
        if "error" in big:
            print(f"big upload: could not start: {big['error']}")
        else:
            stored = check.get("big") or {}
            same = big["client_sha"] == big["answer_sha"] == stored.get("db") == stored.get("disk")
            if not same:
                mismatches += 1
            print(f"big upload ({BIG_MB} MB MP4, VID slot video): status {big['status']}, "
                  f"{big['seconds']:.1f} s, {big['size'] / MB / big['seconds']:.1f} MB/s; SHA-256 client = "
                  f"answer = DB = disk: {'yes' if same else 'NO'}"
                  + (f"; {big['body']}" if big["body"] else ""))
            print(f"server RSS ({big['processes']} processes: master + workers, {big['samples']} samples): "
                  f"before {big['before_mb']:.1f} MB, peak {big['peak_mb']:.1f} MB, after "
                  f"{big['after_mb']:.1f} MB; growth {big['growth_mb']:.1f} MB "
                  f"(largest in one process {big['process_growth_mb']:.1f} MB)")
            if big["growth_mb"] > 100:
                print(f"WARN: the server grew {big['growth_mb']:.0f} MB during the big upload")
    log = log_path.read_text(errors="replace")
    tracebacks = log.count("Traceback (most recent call last)")
    if tracebacks or "WORKER TIMEOUT" in log:
        print(f"\ngunicorn log: {tracebacks} tracebacks, {log.count('WORKER TIMEOUT')} worker timeouts; "
              f"first one:\n{log[log.find('Traceback'):][:3000] if tracebacks else log[-2000:]}")
    if check["submitted"] != len(ok2xx) or check["lost"]:
        print(f"FAIL: entries stored ({check['submitted']}) != 2xx submissions ({len(ok2xx)})"
              + (f", lost: {check['lost'][:5]}" if check["lost"] else ""))
    if mismatches:
        print(f"FAIL: {mismatches} hash mismatches, e.g. {check['mismatches'][:3]}")
    for r in [r for r in records if r["error"]][:5]:
        print(f"  error sample: entry {r['index']} step {r['error'][0]} → {r['error'][1]}: {r['error'][2]}")


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="enlace-bench-rush-"))
    database_url, drop_database = scratch_database(tmp)
    env = {k: v for k, v in os.environ.items() if k not in OUTSIDE}
    env.update({"DJANGO_SETTINGS_MODULE": "hub.settings.dev", "DATABASE_URL": database_url,
                "ENLACE_DATA_DIR": str(tmp), "LOG_LEVEL": "WARNING",
                "DATABASE_CONN_MAX_AGE": os.environ.get("DATABASE_CONN_MAX_AGE", "60")})
    port = free_port()
    log_path = tmp / "gunicorn.log"
    backend = "PostgreSQL" if os.environ.get("BENCH_DATABASE_URL") else "SQLite"
    server = worker = None
    try:
        started = time.perf_counter()
        run_child("--setup", str(tmp / "clients.json"), env)
        ctx = json.loads((tmp / "clients.json").read_text())
        ctx["files"] = files = SpotFiles(int(FILE_MB * MB))
        print(f"Contest deadline rush — {backend}, gunicorn {WORKERS} sync workers on 127.0.0.1:{port} "
              f"(hub.settings.dev), {ENTRIES} entries × {files.size / MB:.2f} MB WAV "
              f"({files.description}), {CLIENTS} concurrent clients", flush=True)
        print(f"setup (migrate, demo call, {ENTRIES + 1} signed-in entrants): "
              f"{time.perf_counter() - started:.0f} s", flush=True)
        server = start_gunicorn(env, port, log_path)
        worker = start_worker(env, tmp / "worker.log")
        base = baselines(port, ctx)
        users = ctx["users"]
        records, wall = concurrently(port, list(range(ENTRIES)),
                                     lambda conn, i: run_entry(conn, i, users[i], ctx))
        records.sort(key=lambda r: r["index"])
        print(f"rush done in {wall:.1f} s", flush=True)
        drain = wait_for_receipts(tmp, sum(1 for r in records if r["submitted"]))
        big = big_upload(port, server, ctx) if BIG_MB > 0 else None
        stop_gunicorn(server)
        expected = {"sent": {r["public_id"]: r["sha"] for r in records if r.get("sha")},
                    "submitted_2xx": [r["public_id"] for r in records if r["submitted"]],
                    "big": {"public_id": big["public_id"]} if big and "public_id" in big else None}
        (tmp / "expected.json").write_text(json.dumps(expected))
        out = run_child("--verify", str(tmp / "expected.json"), env)
        check = json.loads(next(x for x in out.splitlines() if x.startswith("RESULT "))[len("RESULT "):])
        check["drain"] = drain
        report(records, wall, base, check, big, files, log_path)
    finally:
        if server is not None and server.poll() is None:
            stop_gunicorn(server)
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
        drop_database()
        if KEEP:
            print(f"\nkept: {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    if len(sys.argv) > 2 and sys.argv[1] == "--setup":
        setup_child(sys.argv[2])
    elif len(sys.argv) > 2 and sys.argv[1] == "--verify":
        verify_child(sys.argv[2])
    else:
        stop_cleanly_on_sigterm()
        main()
