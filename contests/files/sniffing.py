"""What a file is, from its first bytes: signatures at fixed offsets and the PDF header."""

from __future__ import annotations

from .common import HEAD_BYTES
from .mp3 import frame_header


def sniff(head: bytes) -> str | None:
    """Format code from the first bytes (at least 64, 1024 to find a late ``%PDF-``), or None.

    Only signatures at fixed offsets and the PDF header are looked at; the deep checks in
    :func:`contests.files.inspect` decide whether the rest of the file lives up to them."""
    head = bytes(head[:HEAD_BYTES])
    if head.startswith(b"ID3"):
        return "mp3"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[4:8] == b"ftyp":
        return "mov" if head[8:12] == b"qt  " else "mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "webm"
    if frame_header(head[:4]) is not None:
        return "mp3"
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"  # the only ZIP-based format accepted; ``docx.check`` decides
    return None
