"""A file that cannot be made: the page stays published, the file is FAILED with a clear
message, the job retries a bounded number of times, and the committee is told once."""

from __future__ import annotations

import importlib.abc
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.core import mail
from django.core.files.base import ContentFile

from hub.roles import EDITORIAL
from publications.domain import files
from publications.models import PublicationFile, PublicationSettings
from tests.factories import UserFactory
from tests.publications import factories as f
from tests.publications.files_support import (  # noqa: F401
    eager_jobs,
    make_image,
    needs_pango,
    publish,
)

pytestmark = [pytest.mark.django_db]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def committee(site):
    settings = PublicationSettings.for_site(site.get_site())
    settings.committee_email = "comite@enlace.example"
    settings.save()
    return UserFactory(username="comite", email="editora@enlace.example", groups=[EDITORIAL])


def _article_with_a_lost_image(site):
    image = make_image("Gráfica perdida")
    original = (image.file.name, image.file.read())
    image.file.close()
    article = f.article(f.issue(f.magazine(site)), publish=False, body=[("figure", {
        "image": image, "alt_text": "Una gráfica", "caption": "Gráfica 1"})])
    image.file.storage.delete(image.file.name)  # the original is gone from storage
    return article, image, original


@needs_pango
def test_a_failing_pdf_leaves_the_page_live_retries_and_tells_the_committee_once(
        site, committee, eager_jobs, django_capture_on_commit_callbacks):  # noqa: F811
    article, image, (name, data) = _article_with_a_lost_image(site)
    publish(article, django_capture_on_commit_callbacks)
    assert article.live
    (row,) = PublicationFile.objects.filter(page=article)
    assert row.status == "fallido" and not row.file and not row.sha256
    assert row.attempts == files.MAX_ATTEMPTS  # the first try and every retry, then it stops
    assert "No se pudo leer la imagen" in row.error or "No se pudo componer" in row.error
    assert "Traceback" not in row.error and "/tmp" not in row.error
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["comite@enlace.example", "editora@enlace.example"]
    assert article.title in message.subject and row.error in message.body
    assert message.alternatives and "Reintentar" in message.alternatives[0][0]

    # Republishing while it still fails: the same version is tried again, the committee is
    # not told a second time.
    publish(article, django_capture_on_commit_callbacks)
    assert PublicationFile.objects.filter(page=article).count() == 1 and len(mail.outbox) == 1

    # Once the image is back, "Reintentar" makes version 1, once.
    image.file.storage.save(name, ContentFile(data))
    with django_capture_on_commit_callbacks(execute=True):
        assert files.retry(row, committee)
    row.refresh_from_db()
    assert row.status == "listo" and row.version == 1 and row.sha256 and row.error == ""
    assert PublicationFile.objects.filter(page=article, status="listo").count() == 1
    assert len(mail.outbox) == 1
    # A READY file is never made again.
    assert not files.retry(row, committee)


@needs_pango
def test_a_job_run_twice_never_makes_two_ready_files(site, django_capture_on_commit_callbacks):
    article = f.article(f.issue(f.magazine(site)))
    files.make_files(article)
    files.make_files(article)
    assert PublicationFile.objects.filter(page=article).count() == 1


@needs_pango
def test_a_template_error_is_recorded_in_spanish_without_a_trace(site, settings, tmp_path,
                                                                  committee):
    broken = tmp_path / "publications" / "pdf"
    broken.mkdir(parents=True)
    (broken / "article.html").write_text("{% load no_such_library %}")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [str(tmp_path)]}]
    article = f.article(f.issue(f.magazine(site)))
    with pytest.raises(files.FileJobError) as raised:
        files.make_files(article)
    assert not raised.value.permanent
    (row,) = PublicationFile.objects.filter(page=article)
    assert row.status == "fallido" and row.attempts == 1
    assert row.error.startswith("No se pudo componer el archivo (TemplateSyntaxError)")
    assert len(mail.outbox) == 0  # told only when the retries are spent


class _NoPango(importlib.abc.MetaPathFinder):
    """What importing WeasyPrint does on a machine without Pango: cffi cannot load it."""

    def find_spec(self, name, path, target=None):
        if name == "weasyprint" or name.startswith("weasyprint."):
            raise OSError("cannot load library 'pango-1.0-0': no such file")
        return None


@pytest.fixture
def without_pango(monkeypatch):
    for name in [n for n in sys.modules if n == "weasyprint" or n.startswith("weasyprint.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(sys, "meta_path", [_NoPango(), *sys.meta_path])


def test_without_pango_files_fail_with_the_install_command_once(
        site, committee, without_pango, eager_jobs, admin_client,  # noqa: F811
        django_capture_on_commit_callbacks):
    message = ("Falta Pango: instale libpango-1.0-0 "
               "(apt-get install libpango-1.0-0 libpangoft2-1.0-0)")
    assert files.pango_problem() == message
    article = f.article(f.issue(f.magazine(site)), publish=False)
    publish(article, django_capture_on_commit_callbacks)
    assert article.live
    (row,) = PublicationFile.objects.filter(page=article)
    assert (row.status, row.error, row.attempts) == ("fallido", message, 1)  # not retried
    assert len(mail.outbox) == 1
    response = admin_client.get("/admin/archivos-publicados/")
    assert response.status_code == 200
    assert response.content.decode().count(message) >= 2  # the banner and the row


def test_a_fresh_machine_without_pango_starts_and_says_what_to_install(tmp_path):
    """In a child process whose cffi cannot load Pango: Django and the publications modules
    import (WeasyPrint is lazy), the domain reports the message, and dev.py prints it."""
    (tmp_path / "sitecustomize.py").write_text(textwrap.dedent("""
        import cffi
        _dlopen = cffi.FFI.dlopen
        def dlopen(self, name, *args, **kwargs):
            if name and "pango" in str(name):
                raise OSError(f"cannot load library {name!r}")
            return _dlopen(self, name, *args, **kwargs)
        cffi.FFI.dlopen = dlopen
    """))
    env = {**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}",
           "DJANGO_SETTINGS_MODULE": "hub.settings.test"}
    code = textwrap.dedent("""
        import django
        django.setup()
        import publications.models, publications.views.files, publications.admin.files
        import publications.tasks
        from publications.domain.files import pango_problem
        print(pango_problem())
    """)
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Falta Pango: instale libpango-1.0-0" in result.stdout

    sys.path.insert(0, str(ROOT))
    try:
        import dev
    finally:
        sys.path.remove(str(ROOT))
    check = subprocess.run(
        [sys.executable, "-c", "import dev; print(dev.pango_missing(__import__('sys').executable))"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert check.stdout.strip().endswith("True")
    assert dev.PANGO_MISSING in check.stdout
