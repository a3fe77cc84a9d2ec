#!/usr/bin/env python3
"""Enlace's one entry point for the chores. Needs only Python 3.11+.

    python3 dev.py start   install, migrate, load demo data, run web + worker + scheduler
    python3 dev.py test    install test tools and run the whole suite (pytest args pass through)
    python3 dev.py bench   run the benchmarks under bench/
    python3 dev.py lint    ruff check, and the one-way arrows between apps (import-linter)
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PY = VENV / "bin" / "python"
HOST, PORT = os.environ.get("ENLACE_HOST", "127.0.0.1"), os.environ.get("ENLACE_PORT", "8000")

# How Enlace's Celery processes are started here, in CI and in production (README): no
# gossip, mingle or heartbeat events (Enlace uses none of them, and their channels are what
# breaks when the broker restarts: kombu#582).
WORKER = ["-m", "celery", "-A", "hub", "worker", "--without-gossip", "--without-mingle",
          "--without-heartbeat"]
BEAT = ["-m", "celery", "-A", "hub", "beat"]


def say(message: str) -> None:
    print(f"\033[1m» {message}\033[0m", flush=True)


def run(*args, **kwargs) -> None:
    subprocess.run([str(a) for a in args], check=True, cwd=ROOT, **kwargs)


def ensure_venv(*lockfiles: str) -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 (dev.py may be run by an older python3)
        sys.exit("Enlace necesita Python 3.11 o posterior.")
    if not PY.exists():
        say("Creando el entorno virtual .venv")
        run(sys.executable, "-m", "venv", VENV)
    digest = hashlib.sha256(b"".join((ROOT / f).read_bytes() for f in lockfiles)).hexdigest()
    stamp = VENV / f".installed-{'-'.join(Path(f).stem for f in lockfiles)}"
    if stamp.exists() and stamp.read_text() == digest:
        return
    say("Instalando dependencias (" + ", ".join(lockfiles) + ")")
    run(PY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--upgrade", "pip")
    args = []
    for lockfile in lockfiles:
        args += ["-r", lockfile]
    run(PY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *args)
    stamp.write_text(digest)


def manage(*args, env=None) -> None:
    run(PY, "manage.py", *args, env=env)


class Supervisor:
    """Keeps child processes running, as systemd's Restart=always does in production.

    A child that exits is started again, after a pause that grows (up to `max_pause`) while
    it keeps failing within `healthy_after` seconds of starting; the others are not touched.
    Each child runs in its own session, so stopping or restarting it ends its whole process
    group (a worker's pool processes too).
    """

    def __init__(self, log=say, pause: float = 1.0, max_pause: float = 30.0,
                 healthy_after: float = 30.0):
        self.log, self.pause, self.max_pause, self.healthy_after = log, pause, max_pause, healthy_after
        self.children: dict[str, dict] = {}
        self.restarts = 0

    def add(self, name: str, argv: list, env=None, **popen) -> None:
        self.children[name] = {"argv": [str(a) for a in argv], "env": env, "popen": popen,
                               "proc": None, "started": 0.0, "failures": 0, "due": 0.0}
        self._spawn(name)

    def _spawn(self, name: str) -> None:
        child = self.children[name]
        child["proc"] = subprocess.Popen(child["argv"], cwd=ROOT, env=child["env"],
                                         start_new_session=True, **child["popen"])
        child["started"] = time.monotonic()

    def pid(self, name: str) -> int:
        return self.children[name]["proc"].pid

    def check(self) -> None:
        """Restart the children that exited (each once its pause has passed)."""
        now = time.monotonic()
        for name, child in self.children.items():
            proc = child["proc"]
            if proc is not None and proc.poll() is None:
                continue
            if proc is not None:  # it has just exited: note it and schedule its restart
                quick = now - child["started"] < self.healthy_after
                child["failures"] = child["failures"] + 1 if quick else 0
                delay = min(self.max_pause, self.pause * 2 ** max(0, child["failures"] - 1))
                child["due"], child["proc"] = now + delay, None
                self.log(f"{name} terminó (código {proc.returncode}); se reinicia en {delay:.0f} s")
            elif now >= child["due"]:
                self._spawn(name)
                self.restarts += 1

    def stop(self, timeout: float = 10.0) -> None:
        procs = [c["proc"] for c in self.children.values() if c["proc"] is not None]
        for proc in procs:  # the leader only: a worker then stops its pool processes itself
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for proc in procs:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self._signal(proc, signal.SIGKILL)
                proc.wait()
        for proc in procs:  # leftovers of a group whose leader already exited
            self._signal(proc, signal.SIGKILL)

    @staticmethod
    def _signal(proc, signum) -> None:
        try:
            os.killpg(proc.pid, signum)
        except (ProcessLookupError, PermissionError):
            pass


PANGO_MISSING = ("Falta Pango: instale libpango-1.0-0 "
                 "(apt-get install libpango-1.0-0 libpangoft2-1.0-0)")


def pango_missing(python=PY, env=None) -> bool:
    """True, with a clear message, if WeasyPrint cannot load Pango from the system.

    Enlace runs without it (WeasyPrint is imported only when a PDF is made); the PDF and EPUB
    files of publications are then marked as failed with the same message, and the admin
    shows it, until Pango is installed and they are retried.
    """
    result = subprocess.run([str(python), "-c", "import weasyprint"], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    if result.returncode == 0:
        return False
    say(PANGO_MISSING + ". Enlace funciona sin él, pero no generará los PDF de las "
        "publicaciones hasta instalarlo.")
    return True


def fake_network_ports(port: str = PORT) -> tuple[int, int]:
    """The simulated Telegram's and X's ports: 8781 and 8782 beside the default 8000; for a
    copy on another port, two ports free at this moment."""
    if port == "8000":
        return 8781, 8782
    import socket

    with socket.socket() as first, socket.socket() as second:
        first.bind(("127.0.0.1", 0))
        second.bind(("127.0.0.1", 0))
        return first.getsockname()[1], second.getsockname()[1]


def banner(env: dict, password: str, simulated: bool = True) -> str:
    """What ``start`` prints once everything runs: the addresses, which simulated network is
    which, and each demo account with where it signs in (jurors and entrants use their e-mail
    at /cuentas/login/; the admin's sign-in is for staff only)."""
    networks = (f"""    Telegram simulado: {env.get("TELEGRAM_API_BASE_URL")}/
    X simulado:        {env.get("X_API_BASE_URL")}/
""" if simulated else "")
    return f"""
  Enlace está corriendo:
    Sitio público:   http://{HOST}:{PORT}/
    Administración:  http://{HOST}:{PORT}/admin/
    Datos abiertos:  http://{HOST}:{PORT}/datos/
    API:             http://{HOST}:{PORT}/api/openapi.json
{networks}
  Cuentas de demostración (contraseña: {password}):
    en /admin/:
      admin          superusuario
      coordinacion   Coordinación de la Comisión
      comunicacion   Comunicación social (INFOEM)
      editorial      Comité Editorial
    en /cuentas/login/, con el correo:
      jurado@enlace.local        Jurado (/jurado/: tres spots por calificar)
      participante@enlace.local  Participante de concursos

  Ctrl+C para detener.
"""


def start() -> None:
    if not (PORT.isascii() and PORT.isdigit() and 0 < int(PORT) <= 65535 - 782):
        sys.exit(f"ENLACE_PORT debe ser un número de puerto entre 1 y {65535 - 782} "
                 f"(p. ej. 8000); se recibió «{PORT}».")
    ensure_venv("requirements.lock")
    pango_missing()
    # Everything written under var/ (database, mail files, entrants' files, broker messages)
    # is readable by its owner only.
    os.umask(0o077)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get(
        "DJANGO_SETTINGS_MODULE", "hub.settings.dev")}
    supervisor = Supervisor()
    simulated = "TELEGRAM_API_BASE_URL" not in os.environ and "X_API_BASE_URL" not in os.environ
    if simulated:
        # No real networks configured: simulated Telegram and X on this machine, so posts
        # can be scheduled and seen going out (http://127.0.0.1:8781/ and :8782/ beside the
        # default port 8000; a copy on another ENLACE_PORT gets its own pair, never another
        # copy's, which would receive its posts; the banner says which).
        telegram, x = fake_network_ports()
        env["TELEGRAM_API_BASE_URL"] = f"http://127.0.0.1:{telegram}"
        env["X_API_BASE_URL"] = f"http://127.0.0.1:{x}"
        supervisor.add("Redes simuladas", [PY, "-m", "campaigns.devtools.fake_networks",
                                           "--telegram", str(telegram), "--x", str(x)], env)
    try:
        say("Migrando la base de datos")
        manage("migrate", "--noinput", env=env)
        say("Cargando datos de referencia y de demostración")
        manage("bootstrap", "--demo", env=env)
    except BaseException:
        supervisor.stop()
        raise
    say("Iniciando el servidor web, el worker de Celery y el programador (beat)")
    # Each in its own process, kept running: a worker, beat or web server that dies is
    # started again and the others go on.
    supervisor.add("El worker de Celery", [PY, *WORKER, "--loglevel", "WARNING",
                                           "--concurrency", "2"], env)
    supervisor.add("El programador (beat)", [PY, *BEAT, "--loglevel", "WARNING"], env)
    supervisor.add("El servidor web", [PY, "manage.py", "runserver", f"{HOST}:{PORT}"], env)
    password = os.environ.get("ENLACE_DEMO_PASSWORD", "enlace-demo-2026")
    time.sleep(2)
    print(banner(env, password, simulated=simulated), flush=True)

    def stop(*_):
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_IGN)
        say("Deteniendo Enlace")
        supervisor.stop()
        sys.exit(0)

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, stop)
    while True:
        supervisor.check()
        time.sleep(1)


def test(extra: list[str]) -> None:
    ensure_venv("requirements.lock", "requirements-test.lock")
    if not (os.environ.get("ENLACE_CHROMIUM") or shutil.which("chromium")
            or shutil.which("chromium-browser")):
        say("Chromium no está instalado: las pruebas de navegador se omitirán "
            "(apt-get install chromium).")
    if pango_missing():
        say("Las pruebas que necesitan Pango se omitirán.")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "hub.settings.test"}
    result = subprocess.run([str(PY), "-m", "pytest", *extra], cwd=ROOT, env=env)
    sys.exit(result.returncode)


def bench(extra: list[str]) -> None:
    ensure_venv("requirements.lock", "requirements-test.lock")
    scripts = extra or sorted(str(p.relative_to(ROOT)) for p in (ROOT / "bench").glob("*.py")
                              if not p.name.startswith("_"))
    for script in scripts:
        say(f"Benchmark {script}")
        run(PY, script)


def lint() -> None:
    ensure_venv("requirements.lock", "requirements-test.lock")
    run(PY, "-m", "pip", "install", "--quiet", "ruff==0.14.6")
    run(PY, "-m", "ruff", "check", ".")
    run(VENV / "bin" / "lint-imports")


def main() -> None:
    command, extra = (sys.argv[1] if len(sys.argv) > 1 else "start"), sys.argv[2:]
    if command == "start":
        start()
    elif command == "test":
        test(extra)
    elif command == "bench":
        bench(extra)
    elif command == "lint":
        lint()
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
