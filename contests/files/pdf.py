"""PDF: opened strictly by pypdf, unencrypted, without active content, at most 500 pages; the
blind copy has no document information, XMP or annotation authors."""

from __future__ import annotations

import re
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from .common import CHUNK, quiet_warnings

MAX_PDF_PAGES = 500

# Name tokens scanned for in the raw bytes. Short ones such as /JS and /AA are left to the
# structural walk: a three-letter token turns up by chance in megabytes of compressed data.
_PDF_ACTIVE_TOKENS = re.compile(
    rb"/(?:JavaScript|Launch|EmbeddedFiles?|FileAttachment|RichMedia)(?=[\x00\t\n\x0c\r ()<>\[\]{}/%])")
_PDF_ACTIVE_KEYS = {"/JS", "/JavaScript", "/EmbeddedFiles", "/EF", "/RichMediaContent"}
_PDF_ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/RichMediaExecute", "/ImportData"}
_PDF_WALK_LIMIT = 500_000


def check(stream, size: int) -> int:
    damaged = ValidationError(_("El PDF está dañado o incompleto; no se pudo abrir."), code="invalid_pdf")
    try:
        stream.seek(0)
        with quiet_warnings():
            reader = PdfReader(stream, strict=True)
            if reader.is_encrypted:
                raise ValidationError(_("El PDF está protegido con contraseña; envíelo sin contraseña."),
                                      code="encrypted_pdf")
            pages = len(reader.pages)
            if pages < 1:
                raise damaged
            if pages > MAX_PDF_PAGES:
                raise ValidationError(_("El PDF tiene %(pages)s páginas; el máximo es %(limit)s."),
                                      code="too_many_pages", params={"pages": pages, "limit": MAX_PDF_PAGES})
            # Resolve every page object: in strict mode a broken one raises.
            if any(page.mediabox is None for page in reader.pages):
                raise damaged
            active = _pdf_has_active_objects(reader)
    except ValidationError:
        raise
    except Exception:
        raise damaged from None
    if active or has_active_tokens(stream, size):
        raise ValidationError(
            _("El PDF contiene código o archivos incrustados; envíe un PDF sin contenido activo."),
            code="active_pdf")
    return pages


def has_active_tokens(stream, size: int) -> bool:
    overlap = 32
    tail = b""
    stream.seek(0)
    while True:
        block = stream.read(CHUNK)
        if not block:
            return False
        if _PDF_ACTIVE_TOKENS.search(tail + block):
            return True
        tail = block[-overlap:]


def _pdf_has_active_objects(reader: PdfReader) -> bool:
    """Look at every object of the file (including those packed in object streams, where
    the raw scan cannot see) for JavaScript, launch actions and embedded files."""
    ids = {(idnum, generation) for generation, table in reader.xref.items() for idnum in table}
    ids.update((idnum, 0) for idnum in reader.xref_objStm)
    for count, (idnum, generation) in enumerate(sorted(ids)):
        if count >= _PDF_WALK_LIMIT:
            break
        try:
            obj = IndirectObject(idnum, generation, reader).get_object()
        except Exception:  # an unreadable stray object; the pages themselves were read strictly
            continue
        if _pdf_active_value(obj):
            return True
    return False


def _pdf_active_value(obj) -> bool:
    stack = [obj]
    while stack:
        value = stack.pop()
        if isinstance(value, DictionaryObject):
            if any(key in _PDF_ACTIVE_KEYS for key in value):
                return True
            kind = dict.get(value, "/S")
            if isinstance(kind, NameObject) and kind in _PDF_ACTIVE_ACTIONS:
                return True
            if (dict.get(value, "/Subtype") == "/FileAttachment"
                    or dict.get(value, "/Type") == "/EmbeddedFile"):
                return True
            stack.extend(v for v in dict.values(value) if isinstance(v, (DictionaryObject, ArrayObject)))
        elif isinstance(value, ArrayObject):
            stack.extend(v for v in list.__iter__(value) if isinstance(v, (DictionaryObject, ArrayObject)))
    return False


def anonymise(src: Path, dst) -> None:
    """Every page goes into a new ``PdfWriter`` with no document information (not even
    pypdf's own /Producer), no XMP, and no page-level /Metadata, /PieceInfo or annotation
    authors (/T)."""
    with quiet_warnings(), open(src, "rb") as source:
        reader = PdfReader(source)
        writer = PdfWriter()
        for page in reader.pages:
            writer.add_page(page)
        for page in writer.pages:
            for key in ("/Metadata", "/PieceInfo"):
                if key in page:
                    del page[key]
            for annotation in (page["/Annots"] if "/Annots" in page else None) or []:
                annotation = annotation.get_object()
                if isinstance(annotation, DictionaryObject) and annotation.get("/Subtype") != "/Widget":
                    for key in ("/T", "/RC"):
                        if key in annotation:
                            del annotation[key]
        writer.metadata = None  # no /Info at all, so no /Producer either
        if "/Metadata" in writer.root_object:
            del writer.root_object["/Metadata"]
        writer.write(dst)
