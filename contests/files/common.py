"""What the format modules share: the format table, the description of an inspected file,
bounded reading and the wording of sizes in messages."""

from __future__ import annotations

import contextlib
import math
import warnings
from dataclasses import dataclass

FORMATS = {  # format code -> (kind, canonical extension, mime)
    "mp3": ("audio", ".mp3", "audio/mpeg"),
    "wav": ("audio", ".wav", "audio/wav"),
    "pdf": ("pdf", ".pdf", "application/pdf"),
    "jpeg": ("image", ".jpg", "image/jpeg"),
    "png": ("image", ".png", "image/png"),
    "mp4": ("video", ".mp4", "video/mp4"),
    "mov": ("video", ".mov", "video/quicktime"),
    "webm": ("video", ".webm", "video/webm"),
    "docx": ("document", ".docx",
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
}

MB = 1024 * 1024
HEAD_BYTES = 1024
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Inspection:
    format: str  # key of FORMATS
    kind: str  # "audio" | "pdf" | "image" | "video" | "document"
    extension: str  # canonical, e.g. ".mp3"
    mime: str
    size: int
    duration: float | None = None  # seconds, audio
    pages: int | None = None  # pdf
    width: int | None = None  # image
    height: int | None = None


def over(value: float, limit: float) -> str:
    """``value`` with one decimal, rounded up when plain rounding would not show it over ``limit``."""
    text = f"{value:.1f}"
    if float(text) <= limit:
        text = f"{math.ceil(value * 10) / 10:.1f}"
    return text


def limit_text(value: float) -> str:
    """A limit as people write it: 30, 2.5, 0.25."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


@contextlib.contextmanager
def quiet_warnings(*as_errors: type[Warning]):
    """Silence library warnings, except ``as_errors``, which are raised.

    ``catch_warnings`` changes process-wide state; that is acceptable for these short
    sections and keeps the behaviour the same in tests (where warnings are errors) and in
    production."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for category in as_errors:
            warnings.simplefilter("error", category)
        yield


def read_at(stream, pos: int, n: int) -> bytes:
    stream.seek(pos)
    return stream.read(n)


def copy_range(source, dst, start: int, length: int) -> None:
    source.seek(start)
    while length > 0:
        block = source.read(min(CHUNK, length))
        if not block:
            break
        dst.write(block)
        length -= len(block)
