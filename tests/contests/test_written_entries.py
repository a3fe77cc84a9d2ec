"""A written work: a summary plus its full text as PDF or DOCX, checked by content."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from contests import files as filecheck
from contests.domain.entries import store_file
from contests.domain.errors import ContestError
from contests.enums import CategoryKind, EntryStatus
from contests.kinds import missing_parts, rules_for
from contests.models import EntryFile
from tests.contests import docx_samples
from tests.contests.factories import CategoryFactory, EntryFactory

MB = 1024 * 1024


def _inspect(data: bytes):
    return filecheck.inspect(io.BytesIO(data), accept={"pdf", "docx"}, max_bytes=10 * MB)


def _code(data: bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        _inspect(data)
    return caught.value.code


def test_a_word_document_is_recognised_by_its_content():
    info = _inspect(docx_samples.build())
    assert (info.format, info.extension, info.kind) == ("docx", ".docx", "document")


def test_a_macro_enabled_document_is_refused():
    assert _code(docx_samples.docm()) == "macro_docx"
    # A docx content type with a VBA project slipped in is refused too.
    assert _code(docx_samples.build(extra={"word/vbaProject.bin": b"\x00" * 8})) == "macro_docx"


def test_other_zip_packages_and_renamed_files_are_refused():
    spreadsheet = docx_samples.build(skip=("word/document.xml",),
                                     extra={"xl/workbook.xml": "<workbook/>"})
    assert _code(spreadsheet) == "not_docx"
    wrong_type = docx_samples.build(main="application/xml")
    assert _code(wrong_type) == "not_docx"
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr("notas.txt", "hola")
    assert _code(plain_zip.getvalue()) == "not_docx"
    assert _code(b"Esto es texto con extension .docx" * 4) == "unsupported_type"
    assert _code(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100) == "unsupported_type"


def test_damaged_or_hostile_archives_are_refused():
    assert _code(docx_samples.build()[:200]) == "invalid_docx"
    sneaky = docx_samples.build(extra={"../../etc/cron.d/x": "boom"})
    assert _code(sneaky) == "invalid_docx"
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", docx_samples.CONTENT_TYPES.format(
            main=docx_samples.MAIN_DOCX))
        archive.writestr("word/document.xml", b"0" * (50 * MB))
    assert _code(bomb.getvalue()) == "invalid_docx"


def test_a_docx_is_not_accepted_where_only_pdf_is():
    with pytest.raises(ValidationError) as caught:
        filecheck.inspect(io.BytesIO(docx_samples.build()), accept={"pdf"}, max_bytes=MB)
    assert caught.value.code == "unsupported_type"


def test_the_blind_copy_drops_the_author(tmp_path):
    source = tmp_path / "obra.docx"
    source.write_bytes(docx_samples.build())
    out = io.BytesIO()
    filecheck.write_anonymised(source, "docx", out)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as archive:
        names = set(archive.namelist())
        assert "docProps/core.xml" not in names and "word/document.xml" in names
        blob = b"".join(archive.read(n) for n in names)
    assert b"Luc\xc3\xada Autora Real" not in blob
    assert b"El derecho a saber." in blob
    assert _inspect(out.getvalue()).format == "docx"  # still a valid document


@pytest.mark.django_db
def test_a_written_entry_needs_its_summary_and_its_text(site):
    category = CategoryFactory(kind=CategoryKind.WRITTEN, code="ART")
    entry = EntryFactory(category=category, status=EntryStatus.DRAFT, summary="")
    assert rules_for(category).slot("document").accept == frozenset({"pdf", "docx"})
    assert missing_parts(entry) == ["Texto completo (PDF o DOCX)", "el resumen"]


@pytest.mark.django_db
def test_an_entrant_uploads_a_docx_and_a_docm_changes_nothing(site):
    category = CategoryFactory(kind=CategoryKind.WRITTEN, code="ART", max_file_mb=5)
    entry = EntryFactory(category=category, status=EntryStatus.DRAFT, summary="Resumen.")
    with pytest.raises(ContestError) as caught:
        store_file(entry, "document", SimpleUploadedFile("obra.docx", docx_samples.docm()))
    assert "macros" in str(caught.value)
    assert not EntryFile.objects.exists()
    stored = store_file(entry, "document", SimpleUploadedFile("obra.docx", docx_samples.build()))
    assert stored.format == "docx" and stored.file.name.endswith(".docx")
    assert missing_parts(entry) == []
