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
PNG text chunks, MP4 ``ilst`` tags)."""

from __future__ import annotations

import contextlib
import math
import os
import re
import shutil
import struct
import unicodedata
import warnings
import wave
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.utils.translation import gettext as _
from mutagen.mp3 import MP3
from PIL import Image, ImageOps, JpegImagePlugin
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

FORMATS = {  # format code -> (kind, canonical extension, mime)
    "mp3": ("audio", ".mp3", "audio/mpeg"),
    "wav": ("audio", ".wav", "audio/wav"),
    "pdf": ("pdf", ".pdf", "application/pdf"),
    "jpeg": ("image", ".jpg", "image/jpeg"),
    "png": ("image", ".png", "image/png"),
    "mp4": ("video", ".mp4", "video/mp4"),
    "mov": ("video", ".mov", "video/quicktime"),
    "webm": ("video", ".webm", "video/webm"),
}

MAX_PDF_PAGES = 500
MAX_IMAGE_PIXELS = 40_000_000
MB = 1024 * 1024
HEAD_BYTES = 1024
CHUNK = 1024 * 1024

_PIL_FORMATS = {"jpeg": "JPEG", "png": "PNG"}


@dataclass(frozen=True)
class Inspection:
    format: str  # key of FORMATS
    kind: str  # "audio" | "pdf" | "image" | "video"
    extension: str  # canonical, e.g. ".mp3"
    mime: str
    size: int
    duration: float | None = None  # seconds, audio
    pages: int | None = None  # pdf
    width: int | None = None  # image
    height: int | None = None


# --- Sniffing ------------------------------------------------------------------------------


def sniff(head: bytes) -> str | None:
    """Format code from the first bytes (at least 64, 1024 to find a late ``%PDF-``), or None.

    Only signatures at fixed offsets and the PDF header are looked at; the deep checks in
    :func:`inspect` decide whether the rest of the file lives up to them."""
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
    if _mp3_header(head[:4]) is not None:
        return "mp3"
    if b"%PDF-" in head:
        return "pdf"
    return None


# --- Inspection ----------------------------------------------------------------------------


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
                params={"size": _over(size / MB, max_bytes / MB), "limit": _limit(max_bytes / MB)})
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
            details["duration"] = _check_mp3(stream, measured)
        elif fmt == "wav":
            details["duration"] = _check_wav(stream, measured)
        elif fmt == "pdf":
            details["pages"] = _check_pdf(stream, measured)
        elif kind == "image":
            details["width"], details["height"] = _check_image(stream, fmt)
        elif fmt == "webm":
            _check_webm(head)
        else:
            _check_mp4(stream, measured)
        duration = details.get("duration")
        if duration is not None and max_seconds is not None and duration > max_seconds:
            raise ValidationError(
                _("El audio dura %(seconds)s segundos; el máximo es %(limit)s segundos."),
                code="too_long",
                params={"seconds": _over(duration, max_seconds), "limit": _limit(max_seconds)})
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


def _over(value: float, limit: float) -> str:
    """``value`` with one decimal, rounded up when plain rounding would not show it over ``limit``."""
    text = f"{value:.1f}"
    if float(text) <= limit:
        text = f"{math.ceil(value * 10) / 10:.1f}"
    return text


def _limit(value: float) -> str:
    """A limit as people write it: 30, 2.5, 0.25."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


@contextlib.contextmanager
def _warnings(*as_errors: type[Warning]):
    """Silence library warnings, except ``as_errors``, which are raised.

    ``catch_warnings`` changes process-wide state; that is acceptable for these short
    sections and keeps the behaviour the same in tests (where warnings are errors) and in
    production."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for category in as_errors:
            warnings.simplefilter("error", category)
        yield


def _read_at(stream, pos: int, n: int) -> bytes:
    stream.seek(pos)
    return stream.read(n)


# --- MP3 ----------------------------------------------------------------------------------

# Layer III bitrates in kbit/s, by MPEG version (1, or 2 and 2.5), and sample rates by the
# header's version bits (3 = MPEG-1, 2 = MPEG-2, 0 = MPEG-2.5; 1 is reserved).
_MP3_BITRATES = {
    1: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_MP3_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}
_MP3_SYNC_WINDOW = 1024 * 1024  # where the first frame must start after the ID3v2 tags
_MP3_JUNK_FLOOR = 64 * 1024


def _mp3_header(h: bytes) -> tuple[int, int, int, int, int] | None:
    """(frame length, samples, sample rate, version bits, channel mode) of an MPEG Layer III
    frame header, or None if ``h`` is not one."""
    if len(h) < 4 or h[0] != 0xFF or (h[1] & 0xE0) != 0xE0:
        return None
    version = (h[1] >> 3) & 3
    layer = (h[1] >> 1) & 3
    if version == 1 or layer != 1:
        return None
    bitrate_index, rate_index, padding = h[2] >> 4, (h[2] >> 2) & 3, (h[2] >> 1) & 1
    if bitrate_index in (0, 15) or rate_index == 3 or (h[3] & 3) == 2:
        return None
    bitrate = _MP3_BITRATES[1 if version == 3 else 2][bitrate_index] * 1000
    rate = _MP3_RATES[version][rate_index]
    if version == 3:
        return 144 * bitrate // rate + padding, 1152, rate, version, h[3] >> 6
    return 72 * bitrate // rate + padding, 576, rate, version, h[3] >> 6


# A Layer III sync: 0xFF, then version (not reserved) + layer III, then a plausible bitrate.
_MP3_SYNC = re.compile(rb"\xff[\xe2\xe3\xf2\xf3\xfa\xfb][\x10-\xeb]")


class _Window:
    """Random access over a seekable stream through one bounded buffer (mostly forward)."""

    def __init__(self, stream, size: int):
        self.stream, self.size = stream, size
        self.start, self.buf = 0, b""

    def get(self, pos: int, n: int) -> bytes:
        off = pos - self.start
        if off < 0 or off + n > len(self.buf):
            self.stream.seek(pos)
            self.buf = self.stream.read(max(n, CHUNK))
            self.start, off = pos, 0
        return self.buf[off:off + n]

    def find_sync(self, pos: int, end: int) -> int:
        """First offset in [pos, end) that looks like a Layer III frame sync, or -1."""
        while pos < end:
            self.get(pos, 3)
            match = _MP3_SYNC.search(self.buf, pos - self.start, end - self.start + 2)
            if match and self.start + match.start() < end:
                return self.start + match.start()
            if match or self.start + len(self.buf) >= min(end, self.size):
                return -1
            pos = max(pos + 1, self.start + len(self.buf) - 2)
        return -1


class _InvalidMp3(Exception):
    pass


class _Mp3Walk:
    """The frames of an MP3 file between its leading and trailing tags.

    Iterating yields ``(offset, length)`` of each frame in order; afterwards ``samples``,
    ``junk`` (bytes that were not frames) and ``frames`` hold the totals. After a bad byte
    it resynchronises like a decoder does, on a header followed by a second one, so what a
    player would play (and not only the first run of frames) is what gets measured. More
    junk than a tenth of the audio (at least 64 KiB) raises ``_InvalidMp3``, which also
    bounds the work a hostile file can cause."""

    def __init__(self, stream, size: int):
        self.win = _Window(stream, size)
        self.begin = _skip_id3v2(self.win, size)
        self.end = _strip_trailing_tags(self.win, self.begin, size)
        self.budget = max(_MP3_JUNK_FLOOR, (self.end - self.begin) // 10)
        first = self._sync(self.begin, min(self.end, self.begin + _MP3_SYNC_WINDOW), final_ok=False)
        if first < 0:
            raise _InvalidMp3("no two consecutive frames")
        header = _mp3_header(self.win.get(first, 4))
        self.first, self.rate, self.version = first, header[2], header[3]
        self.xing = _has_vbr_header(self.win, first, header)
        self.samples = self.frames = 0
        self.junk = first - self.begin

    def _sync(self, pos: int, limit: int, *, final_ok: bool, rate=None, version=None) -> int:
        """First frame start in [pos, limit) followed by another frame of the same stream
        (or, when ``final_ok``, ending exactly at the end of the audio), or -1."""
        while True:
            pos = self.win.find_sync(pos, limit)
            if pos < 0:
                return -1
            h = _mp3_header(self.win.get(pos, 4))
            if h and (rate is None or (h[2], h[3]) == (rate, version)) and pos + h[0] <= self.end:
                nxt = pos + h[0]
                if nxt == self.end and final_ok:
                    return pos
                g = _mp3_header(self.win.get(nxt, 4)) if nxt + 4 <= self.end else None
                if g and (g[2], g[3]) == (h[2], h[3]):
                    return pos
            pos += 1

    def __iter__(self) -> Iterator[tuple[int, int]]:
        pos, end = self.first, self.end
        while pos + 4 <= end:
            h = _mp3_header(self.win.get(pos, 4))
            if h and h[2] == self.rate and h[3] == self.version and pos + h[0] <= end:
                if not (self.xing and pos == self.first):
                    self.samples += h[1]
                self.frames += 1
                yield pos, h[0]
                pos += h[0]
                continue
            limit = min(end, pos + 1 + self.budget - self.junk)
            nxt = self._sync(pos + 1, limit, final_ok=True, rate=self.rate, version=self.version)
            if nxt < 0:
                if limit < end:
                    raise _InvalidMp3("too much junk between frames")
                break
            self.junk += nxt - pos
            pos = nxt
        self.junk += end - pos
        if self.junk > self.budget:
            raise _InvalidMp3("too much junk")

    def run(self) -> _Mp3Walk:
        for _frame in self:
            pass
        return self


def _skip_id3v2(win: _Window, size: int) -> int:
    """Offset after the ID3v2 tag(s) at the start (some tools stack several)."""
    pos = 0
    while True:
        h = win.get(pos, 10)
        if len(h) < 10 or h[:3] != b"ID3":
            return pos
        if h[3] == 0xFF or h[4] == 0xFF or any(b & 0x80 for b in h[6:10]):
            raise _InvalidMp3("bad ID3v2 header")
        tag_size = (h[6] << 21) | (h[7] << 14) | (h[8] << 7) | h[9]
        pos += 10 + tag_size + (10 if h[5] & 0x10 else 0)
        if pos > size:
            raise _InvalidMp3("ID3v2 tag runs past the end")


def _strip_trailing_tags(win: _Window, begin: int, end: int) -> int:
    """End of the audio once ID3v1 (and TAG+), APEv2, Lyrics3v2 and an appended ID3v2
    (with footer) are taken off the end."""
    while end - begin >= 10:
        if end - begin >= 128 and win.get(end - 128, 3) == b"TAG":
            end -= 128
            if end - begin >= 227 and win.get(end - 227, 4) == b"TAG+":
                end -= 227
            continue
        if end - begin >= 32 and win.get(end - 32, 8) == b"APETAGEX":
            footer = win.get(end - 32, 32)
            total = int.from_bytes(footer[12:16], "little")
            if int.from_bytes(footer[20:24], "little") & 0x80000000:
                total += 32
            if 32 <= total <= end - begin:
                end -= total
                continue
            break
        if end - begin >= 15 and win.get(end - 9, 9) == b"LYRICS200":
            digits = win.get(end - 15, 6)
            if digits.isdigit():
                total = int(digits) + 15
                if total <= end - begin and win.get(end - total, 11) == b"LYRICSBEGIN":
                    end -= total
                    continue
            break
        footer = win.get(end - 10, 10)
        if footer[:3] == b"3DI" and not any(b & 0x80 for b in footer[6:10]):
            total = ((footer[6] << 21) | (footer[7] << 14) | (footer[8] << 7) | footer[9]) + 20
            if total <= end - begin and win.get(end - total, 3) == b"ID3":
                end -= total
                continue
        break
    return end


def _has_vbr_header(win: _Window, offset: int, header) -> bool:
    """Whether the first frame is a Xing/Info/VBRI frame (metadata, no audio)."""
    mono = header[4] == 3
    if header[3] == 3:
        side = 17 if mono else 32
    else:
        side = 9 if mono else 17
    return (win.get(offset + 4 + side, 4) in (b"Xing", b"Info")
            or win.get(offset + 36, 4) == b"VBRI")


def _check_mp3(stream, size: int) -> float:
    invalid = ValidationError(_("El archivo no es un audio MP3 válido."), code="invalid_mp3")
    try:
        stream.seek(0)
        with _warnings():
            info = MP3(stream).info
        reported = float(info.length)
        if not reported > 0 or not info.sample_rate:
            raise invalid
        walk = _Mp3Walk(stream, size).run()
    except ValidationError:
        raise
    except Exception:
        raise invalid from None
    if walk.frames < 2 or walk.samples <= 0:
        raise invalid
    counted = walk.samples / walk.rate
    # A Xing/Info header knows the encoder's delay and padding, so it is more exact, but
    # only while it agrees with the frames actually there (it could lie to pass the limit).
    if walk.xing and abs(reported - counted) < 1.0:
        return reported
    return counted


# --- WAV ----------------------------------------------------------------------------------


def _check_wav(stream, size: int) -> float:
    invalid = ValidationError(_("El archivo no es un audio WAV válido."), code="invalid_wav")
    try:
        stream.seek(0)
        with _warnings(), wave.open(stream, "rb") as w:
            channels, width, rate, frames = (w.getnchannels(), w.getsampwidth(), w.getframerate(),
                                             w.getnframes())
            data_offset = stream.tell()  # wave stops right at the start of the data chunk
    except Exception:
        raise invalid from None
    if rate <= 0 or frames <= 0 or channels <= 0 or width <= 0:
        raise invalid
    if data_offset + frames * channels * width > size:  # the data chunk claims more than there is
        raise invalid
    return frames / rate


# --- PDF ----------------------------------------------------------------------------------

# Name tokens scanned for in the raw bytes. Short ones such as /JS and /AA are left to the
# structural walk: a three-letter token turns up by chance in megabytes of compressed data.
_PDF_ACTIVE_TOKENS = re.compile(
    rb"/(?:JavaScript|Launch|EmbeddedFiles?|FileAttachment|RichMedia)(?=[\x00\t\n\x0c\r ()<>\[\]{}/%])")
_PDF_ACTIVE_KEYS = {"/JS", "/JavaScript", "/EmbeddedFiles", "/EF", "/RichMediaContent"}
_PDF_ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/RichMediaExecute", "/ImportData"}
_PDF_WALK_LIMIT = 500_000


def _check_pdf(stream, size: int) -> int:
    damaged = ValidationError(_("El PDF está dañado o incompleto; no se pudo abrir."), code="invalid_pdf")
    try:
        stream.seek(0)
        with _warnings():
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
    if active or _pdf_has_active_tokens(stream, size):
        raise ValidationError(
            _("El PDF contiene código o archivos incrustados; envíe un PDF sin contenido activo."),
            code="active_pdf")
    return pages


def _pdf_has_active_tokens(stream, size: int) -> bool:
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


# --- Images -------------------------------------------------------------------------------


def _check_image(stream, fmt: str) -> tuple[int, int]:
    damaged = ValidationError(_("La imagen está dañada o incompleta."), code="invalid_image")
    formats = [_PIL_FORMATS[fmt]]
    try:
        stream.seek(0)
        with _warnings(Image.DecompressionBombWarning), Image.open(stream, formats=formats) as img:
            width, height = img.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        match = re.search(r"\((\d+) pixels\)", str(exc))
        raise _too_many_pixels(int(match.group(1)) if match else MAX_IMAGE_PIXELS + 1) from None
    except Exception:
        raise damaged from None
    if width < 1 or height < 1:
        raise damaged
    if width * height > MAX_IMAGE_PIXELS:
        raise _too_many_pixels(width * height)
    try:
        with _warnings(Image.DecompressionBombWarning):
            stream.seek(0)
            with Image.open(stream, formats=formats) as img:
                img.verify()
            stream.seek(0)
            with Image.open(stream, formats=formats) as img:
                img.load()
    except Exception:
        raise damaged from None
    return width, height


def _too_many_pixels(pixels: int) -> ValidationError:
    return ValidationError(
        _("La imagen es demasiado grande (%(mp)s megapíxeles); el máximo es %(limit)s megapíxeles."),
        code="image_too_large",
        params={"mp": _over(pixels / 1_000_000, MAX_IMAGE_PIXELS / 1_000_000),
                "limit": _limit(MAX_IMAGE_PIXELS / 1_000_000)})


# --- Video --------------------------------------------------------------------------------

_MP4_BOXES_CHECKED = 32
_MP4_MAX_FTYP = 4096


def _check_mp4(stream, size: int) -> None:
    """Walk the first top-level boxes (size + type) with seeks: each must fit in the file,
    and a walk that reaches the end must have met the ``moov`` box a player needs."""
    invalid = ValidationError(_("El video está dañado o no es un MP4/MOV válido."), code="invalid_video")
    pos, seen = 0, set()
    try:
        for _index in range(_MP4_BOXES_CHECKED):
            if pos == size:
                break
            header = _read_at(stream, pos, 16)
            if len(header) < 8:
                raise invalid
            box_size, box_type = int.from_bytes(header[:4], "big"), header[4:8]
            header_len = 8
            if box_size == 1:
                if len(header) < 16:
                    raise invalid
                box_size, header_len = int.from_bytes(header[8:16], "big"), 16
            elif box_size == 0:  # runs to the end of the file
                box_size = size - pos
            if not all(0x20 <= b <= 0x7E for b in box_type) or box_size < header_len:
                raise invalid
            if pos == 0 and (box_type != b"ftyp" or not 16 <= box_size <= _MP4_MAX_FTYP):
                raise invalid
            if pos + box_size > size:
                raise invalid
            seen.add(box_type)
            pos += box_size
        if pos == size and b"moov" not in seen:
            raise invalid
    except ValidationError:
        raise
    except Exception:
        raise invalid from None


def _check_webm(head: bytes) -> None:
    """WebM is Matroska with DocType "webm" in the EBML header, which comes first."""
    if b"\x42\x82" not in head[:64] or b"webm" not in head[:64]:
        raise ValidationError(_("El video está dañado o no es un WebM válido."), code="invalid_video")


# --- Display names ------------------------------------------------------------------------

_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,5}$")
_SPACES = re.compile(r"\s+")
_MAX_NAME = 80


def safe_display_name(original_name: str, extension: str) -> str:
    """A name fit to show and to offer as a download, from an untrusted client filename.

    Keeps the base name (after both ``/`` and ``\\``), letters (accented ones included),
    digits, spaces, ``.``, ``-`` and ``_``; drops control and formatting characters (NUL,
    right-to-left overrides) and the client's extension, which is replaced by the canonical
    ``extension``. At most 80 characters; ``archivo`` + extension when nothing is left."""
    name = unicodedata.normalize("NFC", str(original_name or ""))
    name = "".join(" " if ch in "\t\n\r\x0b\x0c" or unicodedata.category(ch) == "Zs" else ch
                   for ch in name)  # tabs, newlines and odd spaces become plain spaces
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co"))
    name = re.split(r"[/\\]", name)[-1].strip()
    name = _EXTENSION.sub("", name)
    name = "".join(ch for ch in name
                   if ch in " .-_" or unicodedata.category(ch)[0] == "L"
                   or unicodedata.category(ch) == "Nd")
    name = _SPACES.sub(" ", name).strip(" .-_")
    name = name[:_MAX_NAME - len(extension)].rstrip(" .-_")
    return f"{name or 'archivo'}{extension}"


# --- Anonymised copies --------------------------------------------------------------------


def write_anonymised(src, fmt: str, dst) -> None:
    """Copy the file at ``src`` into the writable binary ``dst`` without the metadata that
    can identify its author, for blind jurors.

    - mp3: only the MPEG frames are copied (in chunks): ID3v2, ID3v1, APEv2, Lyrics3 and any
      junk between frames are left out. The frames themselves are unchanged.
    - wav: rewritten by the stdlib ``wave`` module with the same parameters, so LIST/INFO,
      ``id3`` and other chunks disappear.
    - pdf: every page goes into a new ``PdfWriter`` with no document information (not even
      pypdf's own /Producer), no XMP, and no page-level /Metadata, /PieceInfo or annotation
      authors (/T).
    - jpeg/png: the pixels are saved again in the same format (JPEG with its own quantisation
      tables), turned upright per the EXIF orientation first; no EXIF, XMP, comments, ICC
      profile or PNG text chunks survive.
    - mp4/mov: mutagen removes the iTunes-style tags (``ilst``) of a temporary copy; if it
      cannot parse the file, it is copied unchanged. Limitation: QuickTime ``udta`` entries
      that mutagen does not manage (and any metadata inside the streams) are kept.
    - webm: copied unchanged (limitation: Matroska tags are not removed).
    """
    src = Path(src)
    if fmt not in FORMATS:
        raise ValueError(f"Unknown format code: {fmt!r}")
    if fmt == "mp3":
        _anonymise_mp3(src, dst)
    elif fmt == "wav":
        _anonymise_wav(src, dst)
    elif fmt == "pdf":
        _anonymise_pdf(src, dst)
    elif fmt in _PIL_FORMATS:
        _anonymise_image(src, fmt, dst)
    elif fmt in ("mp4", "mov"):
        _anonymise_mp4(src, dst)
    else:
        with open(src, "rb") as source:
            shutil.copyfileobj(source, dst, CHUNK)


def _copy_range(source, dst, start: int, length: int) -> None:
    source.seek(start)
    while length > 0:
        block = source.read(min(CHUNK, length))
        if not block:
            break
        dst.write(block)
        length -= len(block)


def _anonymise_mp3(src: Path, dst) -> None:
    size = src.stat().st_size
    with open(src, "rb") as walked, open(src, "rb") as copied:
        try:
            walk = _Mp3Walk(walked, size)
        except _InvalidMp3:
            raise ValidationError(_("El archivo no es un audio MP3 válido."), code="invalid_mp3") from None
        run_start = run_end = None
        for offset, length in walk:
            if offset != run_end:
                if run_start is not None:
                    _copy_range(copied, dst, run_start, run_end - run_start)
                run_start = offset
            run_end = offset + length
        if run_start is not None:
            _copy_range(copied, dst, run_start, run_end - run_start)


def _anonymise_wav(src: Path, dst) -> None:
    with open(src, "rb") as source, wave.open(source, "rb") as reader, wave.open(dst, "wb") as writer:
        writer.setparams(reader.getparams())
        frames_per_block = max(1, CHUNK // (reader.getnchannels() * reader.getsampwidth()))
        while True:
            block = reader.readframes(frames_per_block)
            if not block:
                break
            writer.writeframesraw(block)


def _anonymise_pdf(src: Path, dst) -> None:
    with _warnings(), open(src, "rb") as source:
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


def _anonymise_image(src: Path, fmt: str, dst) -> None:
    pil_format = _PIL_FORMATS[fmt]
    with _warnings(Image.DecompressionBombWarning), Image.open(src, formats=[pil_format]) as img:
        img.load()
        params: dict = {}
        if fmt == "jpeg":
            params["qtables"] = img.quantization
            sampling = JpegImagePlugin.get_sampling(img)
            if sampling != -1:
                params["subsampling"] = sampling
        transparency = img.info.get("transparency")
        clean = ImageOps.exif_transpose(img)
        try:
            clean.info = {}
            if fmt == "png" and transparency is not None:
                clean.info["transparency"] = transparency
            clean.save(dst, format=pil_format, **params)
        finally:
            clean.close()


_MP4_CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts", b"dinf", b"mvex", b"moof",
                   b"traf"}
_MP4_HIDDEN = {b"udta", b"meta"}
_XMP_UUID = bytes.fromhex("be7acfcb97a942e89c71999491e3afac")


def _mp4_metadata_boxes(stream, start: int, end: int, depth: int = 0) -> list[tuple[int, int, int]]:
    """Offsets of the boxes that carry metadata (user data with GPS, device and author; iTunes
    tags; XMP), found by walking the box tree without reading the media."""
    found, pos = [], start
    while pos + 8 <= end:
        stream.seek(pos)
        header = stream.read(8)
        if len(header) < 8:
            break
        size, kind = struct.unpack(">I4s", header)
        head = 8
        if size == 1:
            size, head = struct.unpack(">Q", stream.read(8))[0], 16
        elif size == 0:
            size = end - pos
        if size < head or pos + size > end:
            break
        if kind in _MP4_HIDDEN:
            found.append((pos, head, size))
        elif kind == b"uuid" and stream.read(16) == _XMP_UUID:
            found.append((pos, head, size))
        elif kind in _MP4_CONTAINERS and depth < 8:
            found += _mp4_metadata_boxes(stream, pos + head, pos + size, depth + 1)
        pos += size
    return found


def _anonymise_mp4(src: Path, dst) -> None:
    """Copy the file and turn every metadata box into a zero-filled ``free`` box of the same
    size: players skip ``free`` boxes, and as nothing moves, the media offsets stay valid."""
    with open(src, "rb") as source:
        hidden = _mp4_metadata_boxes(source, 0, os.fstat(source.fileno()).st_size)
        source.seek(0)
        base = dst.tell()
        shutil.copyfileobj(source, dst, CHUNK)
    end = dst.tell()
    for offset, head, size in hidden:
        dst.seek(base + offset + 4)
        dst.write(b"free")
        dst.seek(base + offset + head)
        left = size - head
        while left:
            step = min(left, CHUNK)
            dst.write(bytes(step))
            left -= step
    dst.seek(end)