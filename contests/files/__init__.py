"""Entrants' files, judged by their bytes, and anonymised copies for blind jurors.

Nothing here trusts the client: the file name and the declared content type are never used
to decide what a file is. :func:`inspect` sniffs the first bytes, then opens the file with
the library that understands the format (mutagen, stdlib ``wave``, pypdf, Pillow) and checks
what the category asks for (size, duration, pages, pixels). Whatever goes wrong ends as a
``ValidationError`` with a message in Spanish that tells the entrant what to fix; a broken
or hostile upload must never become a 500.

Large files (videos up to about 1 GB) are never read whole into memory: only headers are
read, with ``seek``. Audio is walked frame by frame through a bounded buffer; PDFs are parsed
by pypdf straight from the file object.

:func:`write_anonymised` makes the copy jurors download, without the metadata that can name
the author (ID3 and APE tags, RIFF INFO chunks, PDF document information and XMP, EXIF and
PNG text chunks, MP4 ``udta``/``meta`` boxes and XMP).

One module per format (``mp3``, ``wav``, ``pdf``, ``images``, ``video``), ``sniffing`` for
the first bytes, ``names`` for the name people see and ``anonymising`` for blind copies; this
module is the public API: ``inspect``, ``sniff``, ``safe_display_name``, ``write_anonymised``,
``FORMATS``."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.utils.translation import gettext as _

from . import docx, images, mp3, pdf, video, wav
from .anonymising import write_anonymised
from .common import FORMATS, HEAD_BYTES, MB, Inspection, limit_text, over
from .images import MAX_IMAGE_PIXELS
from .names import safe_display_name
from .pdf import MAX_PDF_PAGES
from .sniffing import sniff

__all__ = ["FORMATS", "MAX_IMAGE_PIXELS", "MAX_PDF_PAGES", "Inspection", "inspect", "safe_display_name",
           "sniff", "write_anonymised"]


def inspect(file, *, accept: Iterable[str], max_bytes: int, max_seconds: float | None = None,
            original_name: str = "") -> Inspection:
    """Validate an upload by its content and describe it, or raise ``ValidationError``.

    ``file`` is a Django ``UploadedFile`` or any seekable binary file object. Checks, in
    order: empty; heavier than ``max_bytes``; sniffed format not in ``accept``; then the
    format's own check (valid MP3 frames or WAV structure and at most ``max_seconds``; a PDF
    that opens strictly, unencrypted, without active content and at most 500 pages; an image
    under 40 megapixels that decodes completely; a video container whose top-level boxes fit
    the file). ``original_name`` is accepted for the caller's convenience and never used to
    decide anything. The file is left at position 0."""
    codes = {code.lower() for code in accept}
    unknown = codes - FORMATS.keys()
    if unknown:
        raise ValueError(f"Unknown format codes: {sorted(unknown)}")
    stream = _stream(file)
    try:
        size, measured = _sizes(file, stream)
        stream.seek(0)
        head = stream.read(HEAD_BYTES)
        if size == 0 or not head:
            raise ValidationError(_("El archivo está vacío."), code="empty")
        if size > max_bytes:
            raise ValidationError(
                _("El archivo pesa %(size)s MB; el máximo para esta categoría es %(limit)s MB."),
                code="too_large",
                params={"size": over(size / MB, max_bytes / MB), "limit": limit_text(max_bytes / MB)})
        fmt = sniff(head)
        if fmt is None or fmt not in codes:
            names = ", ".join(code.upper() for code in FORMATS if code in codes)
            raise ValidationError(
                _("El contenido del archivo no es de un tipo aceptado (se aceptan: %(formats)s). "
                  "Cambiar la extensión no cambia el tipo."),
                code="unsupported_type", params={"formats": names})
        kind, extension, mime = FORMATS[fmt]
        details: dict = {}
        if fmt == "mp3":
            details["duration"] = mp3.check(stream, measured)
        elif fmt == "wav":
            details["duration"] = wav.check(stream, measured)
        elif fmt == "pdf":
            details["pages"] = pdf.check(stream, measured)
        elif kind == "image":
            details["width"], details["height"] = images.check(stream, fmt)
        elif fmt == "docx":
            docx.check(stream, measured)
        elif fmt == "webm":
            video.check_webm(head)
        else:
            video.check_mp4(stream, measured)
        duration = details.get("duration")
        if duration is not None and max_seconds is not None and duration > max_seconds:
            raise ValidationError(
                _("El audio dura %(seconds)s segundos; el máximo es %(limit)s segundos."),
                code="too_long",
                params={"seconds": over(duration, max_seconds), "limit": limit_text(max_seconds)})
        return Inspection(format=fmt, kind=kind, extension=extension, mime=mime, size=size, **details)
    finally:
        with contextlib.suppress(Exception):
            stream.seek(0)


def _stream(file):
    """The real file object behind a Django ``File`` (an upload), or ``file`` itself."""
    if isinstance(file, File) and getattr(file, "file", None) is not None:
        return file.file
    return file


def _sizes(file, stream) -> tuple[int, int]:
    """(size to judge, bytes actually present). The upload handler counts bytes past the
    category's limit without keeping them, so a declared ``size`` larger than what is on
    disk is believed for the limit."""
    stream.seek(0, os.SEEK_END)
    measured = stream.tell()
    try:
        declared = getattr(file, "size", None)
    except Exception:  # a Django File computes .size and may fail on odd objects
        declared = None
    if not isinstance(declared, int) or isinstance(declared, bool):
        declared = 0
    return max(declared, measured), measured
