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


def start() -> None:
    ensure_venv("requirements.lock")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get(
        "DJANGO_SETTINGS_MODULE", "hub.settings.dev")}
    procs = []
    if "TELEGRAM_API_BASE_URL" not in os.environ and "X_API_BASE_URL" not in os.environ:
        # No real networks configured: simulated Telegram and X on this machine, so posts
        # can be scheduled and seen going out (http://127.0.0.1:8781/ and :8782/).
        env["TELEGRAM_API_BASE_URL"] = "http://127.0.0.1:8781"
        env["X_API_BASE_URL"] = "http://127.0.0.1:8782"
        procs.append(subprocess.Popen([str(PY), "-m", "campaigns.devtools.fake_networks",
                                       "--telegram", "8781", "--x", "8782"], cwd=ROOT, env=env))
    say("Migrando la base de datos")
    manage("migrate", "--noinput", env=env)
    say("Cargando datos de referencia y de demostración")
    manage("bootstrap", "--demo", env=env)
    say("Iniciando el servidor web, el worker de Celery y el programador (beat)")
    procs += [
        subprocess.Popen([str(PY), "-m", "celery", "-A", "hub", "worker", "--beat",
                          "--loglevel", "WARNING", "--concurrency", "2"], cwd=ROOT, env=env),
        subprocess.Popen([str(PY), "manage.py", "runserver", f"{HOST}:{PORT}"], cwd=ROOT,
                         env=env),
    ]
    password = os.environ.get("ENLACE_DEMO_PASSWORD", "enlace-demo-2026")
    time.sleep(2)
    print(f"""
  Enlace está corriendo:
    Sitio público:   http://{HOST}:{PORT}/
    Administración:  http://{HOST}:{PORT}/admin/
    Datos abiertos:  http://{HOST}:{PORT}/datos/
    API:             http://{HOST}:{PORT}/api/openapi.json
    Redes simuladas: {env.get("TELEGRAM_API_BASE_URL")}/  ·  {env.get("X_API_BASE_URL")}/

  Cuentas de demostración (contraseña: {password}):
    admin          superusuario
    coordinacion   Coordinación de la Comisión
    comunicacion   Comunicación social (INFOEM)
    editorial      Comité Editorial
    jurado         Jurado

  Ctrl+C para detener.
""", flush=True)

    def stop(*_):
        for proc in procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        sys.exit(0)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    while all(proc.poll() is None for proc in procs):
        time.sleep(1)
    stop()


def test(extra: list[str]) -> None:
    ensure_venv("requirements.lock", "requirements-test.lock")
    if not (os.environ.get("ENLACE_CHROMIUM") or shutil.which("chromium")
            or shutil.which("chromium-browser")):
        say("Chromium no está instalado: las pruebas de navegador se omitirán "
            "(apt-get install chromium).")
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
