# ruff: noqa: E501 -- XML fixtures read best on one line each
"""Tiny Office Open XML packages built in memory, for the written-entry tests."""

from __future__ import annotations

import io
import zipfile

from contests.files.docx import MAIN_DOCM, MAIN_DOCX

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="{main}"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
</Types>"""
RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
</Relationships>"""
DOCUMENT = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:p><w:r><w:t>{text}</w:t></w:r></w:p>
<w:ins w:id="1" w:author="Lucía Autora Real" w:date="2026-01-01T00:00:00Z"><w:r><w:t>x</w:t></w:r></w:ins>
</w:body></w:document>"""
CORE = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
 xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Lucía Autora Real</dc:creator></cp:coreProperties>"""


def build(*, main: str = MAIN_DOCX, text: str = "El derecho a saber.", extra: dict | None = None,
          skip: tuple[str, ...] = ()) -> bytes:
    parts = {"[Content_Types].xml": CONTENT_TYPES.format(main=main), "_rels/.rels": RELS,
             "word/document.xml": DOCUMENT.format(text=text), "docProps/core.xml": CORE,
             **(extra or {})}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            if name not in skip:
                archive.writestr(name, data)
    return buffer.getvalue()


def docm() -> bytes:
    return build(main=MAIN_DOCM, extra={"word/vbaProject.bin": b"\x00" * 64})
