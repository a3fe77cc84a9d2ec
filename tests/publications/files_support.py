"""Helpers of the files tests: run the jobs in-process, build images, read PDFs."""

from __future__ import annotations

import io
import re

import pytest
from celery import current_app

from publications.domain.files import PANGO_MISSING, pango_problem

needs_pango = pytest.mark.skipif(pango_problem() is not None, reason=str(PANGO_MISSING))


@pytest.fixture
def eager_jobs():
    """Celery runs jobs in-process (retries too, without their wait)."""
    previous = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = True
    yield
    current_app.conf.task_always_eager = previous


def publish(page, django_capture_on_commit_callbacks, **changes):
    """Publish a new revision of ``page`` (with ``changes``) and run what follows the commit."""
    page = page.specific
    for name, value in changes.items():
        setattr(page, name, value)
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    page.refresh_from_db()
    return page


def make_image(title="Gráfica", size=(640, 400), colour="#0b3d5c"):
    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images.models import Image

    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, "PNG")
    buffer.seek(0)
    return Image.objects.create(title=title, file=ImageFile(buffer, name="grafica.png"))


def pdf_pages(data: bytes) -> list[str]:
    """The text of each page, with whitespace collapsed (a title may wrap)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return [re.sub(r"\s+", " ", page.extract_text() or "") for page in reader.pages]


def read(file) -> bytes:
    with file.file.open("rb") as handle:
        return handle.read()
