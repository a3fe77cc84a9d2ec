"""DOCX (Office Open XML word processing): a ZIP whose ``[Content_Types].xml`` declares
``word/document.xml`` as the main document of a plain (macro-free) Word file.

Refused, with a Spanish message: a ZIP that is not a Word document (an XLSX, an ODT, a
renamed archive), a macro-enabled document (``.docm`` content type or any ``vbaProject``),
encrypted or damaged archives, members with absolute or ``..`` paths, and archives whose
declared uncompressed size is out of proportion (a ZIP bomb). The blind copy drops the
document properties (``docProps/``), the people list and the comment and revision authors.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from xml.etree import ElementTree

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAIN_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
MAIN_DOCM = "application/vnd.ms-word.document.macroEnabled.main+xml"
MAX_MEMBERS = 2000
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 200
_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"


def _damaged() -> ValidationError:
    return ValidationError(_("El documento DOCX está dañado o incompleto; no se pudo abrir."),
                           code="invalid_docx")


def check(stream, size: int) -> None:
    """Raise ``ValidationError`` unless ``stream`` holds a plain Word document."""
    try:
        stream.seek(0)
        archive = zipfile.ZipFile(stream)
        members = archive.infolist()
    except Exception:  # zipfile raises many kinds on hostile input
        raise _damaged() from None
    if len(members) > MAX_MEMBERS:
        raise _damaged()
    total = 0
    names = set()
    for info in members:
        name = info.filename
        if info.flag_bits & 0x1:
            raise ValidationError(_("El documento está protegido con contraseña; envíelo sin "
                                    "contraseña."), code="encrypted_docx")
        if name.startswith(("/", "\\")) or ".." in posixpath.normpath(name).split("/") or (
                "\\" in name):
            raise _damaged()
        total += info.file_size
        names.add(name)
    if total > MAX_UNCOMPRESSED or total > max(size, 1) * MAX_RATIO:
        raise _damaged()
    if any(posixpath.basename(n).lower().startswith("vbaproject") for n in names):
        raise _macro()
    if "[Content_Types].xml" not in names or "word/document.xml" not in names:
        raise _not_word()
    try:
        with archive.open("[Content_Types].xml") as handle:
            root = ElementTree.fromstring(handle.read(1024 * 1024))
    except (ElementTree.ParseError, zipfile.BadZipFile, OSError, RuntimeError, ValueError):
        raise _damaged() from None
    main = None
    for override in root.iter(f"{_CT_NS}Override"):
        if override.get("PartName", "").lstrip("/") == "word/document.xml":
            main = override.get("ContentType", "")
    if main == MAIN_DOCM:
        raise _macro()
    if main != MAIN_DOCX:
        raise _not_word()
    try:
        with archive.open("word/document.xml") as handle:
            handle.read(64)
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, NotImplementedError):
        raise _damaged() from None


def _macro() -> ValidationError:
    return ValidationError(_("El documento contiene macros (DOCM); guárdelo como documento de "
                             "Word sin macros (.docx) o como PDF."), code="macro_docx")


def _not_word() -> ValidationError:
    return ValidationError(_("El archivo no es un documento de Word (.docx). Cambiar la "
                             "extensión no cambia el tipo."), code="not_docx")


_DROP = re.compile(r"^(docProps/|word/people\.xml$|customXml/)")
_AUTHOR_ATTRS = re.compile(rb'\b(w:author|w:initials)="[^"]*"')


def anonymise(src, dst) -> None:
    """Copy the document without what names its author: ``docProps/`` (core, app and custom
    properties), ``customXml/``, ``word/people.xml``, and the ``w:author``/``w:initials`` of
    comments and tracked changes. References to dropped parts are removed from the package
    relationships and content types."""
    with zipfile.ZipFile(src) as source, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            if _DROP.match(info.filename):
                continue
            data = source.read(info)
            if info.filename == "[Content_Types].xml":
                data = re.sub(rb'<Override[^>]*PartName="/(?:docProps/|customXml/|word/people\.xml)'
                              rb'[^>]*/>', b"", data)
            elif info.filename.endswith(".rels"):
                data = re.sub(rb'<Relationship[^>]*Target="/?(?:\.\./)?(?:docProps/|customXml/|'
                              rb'people\.xml)[^>]*/>', b"", data)
            elif info.filename.startswith("word/") and info.filename.endswith(".xml"):
                data = _AUTHOR_ATTRS.sub(lambda m: m.group(1) + b'="-"', data)
            out.writestr(info.filename, data)
