"""Blind copies: the file jurors and the public download, without what can name its author."""

from __future__ import annotations

import shutil
from pathlib import Path

from . import docx, images, mp3, pdf, video, wav
from .common import CHUNK, FORMATS


def write_anonymised(src, fmt: str, dst) -> None:
    """Copy the file at ``src`` into the writable binary ``dst`` without the metadata that
    can identify its author, for blind jurors.

    - mp3: only the MPEG frames are copied: ID3v2, ID3v1, APEv2, Lyrics3 and junk go.
    - wav: a new RIFF with the format chunk and the samples only: LIST/INFO, ``id3``,
      ``bext``, iXML and any other chunk go.
    - pdf: the pages in a new file with no document information, XMP, page /Metadata,
      /PieceInfo or annotation authors (/T).
    - jpeg/png: the pixels saved again, upright per the EXIF orientation; no EXIF, XMP,
      comments, ICC profile or PNG text chunks survive.
    - mp4/mov: our box walker (``video.metadata_boxes``) finds the ``udta`` and ``meta``
      boxes (which hold the iTunes ``ilst`` tags) and XMP ``uuid`` boxes and blanks them into
      ``free`` boxes of the same size. Limitation: metadata inside the media streams stays.
    - docx: the package without ``docProps/``, ``customXml/``, ``word/people.xml`` and the
      comment and revision authors.
    - webm: copied unchanged (limitation: Matroska tags are not removed).
    """
    src = Path(src)
    if fmt not in FORMATS:
        raise ValueError(f"Unknown format code: {fmt!r}")
    if fmt == "mp3":
        mp3.anonymise(src, dst)
    elif fmt == "wav":
        wav.anonymise(src, dst)
    elif fmt == "pdf":
        pdf.anonymise(src, dst)
    elif fmt in images.PIL_FORMATS:
        images.anonymise(src, fmt, dst)
    elif fmt == "docx":
        docx.anonymise(src, dst)
    elif fmt in ("mp4", "mov"):
        video.anonymise_mp4(src, dst)
    else:
        with open(src, "rb") as source:
            shutil.copyfileobj(source, dst, CHUNK)
