"""MP4/MOV and WebM: containers checked by their structure without reading the media; the
blind copy of an MP4/MOV hides its metadata boxes. One box walker serves both."""

from __future__ import annotations

import os
import shutil
import struct
from collections.abc import Iterator
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .common import CHUNK, read_at

_MP4_BOXES_CHECKED = 32
_MP4_MAX_FTYP = 4096
_MP4_CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts", b"dinf", b"mvex", b"moof",
                   b"traf"}
_MP4_HIDDEN = {b"udta", b"meta"}
_XMP_UUID = bytes.fromhex("be7acfcb97a942e89c71999491e3afac")


class BadBox(Exception):
    """A box that does not fit where it is (size, type or bounds)."""


def boxes(stream, start: int, end: int) -> Iterator[tuple[int, int, int, bytes]]:
    """The boxes between ``start`` and ``end``: ``(offset, header length, size, type)``, read
    with seeks. Raises ``BadBox`` at the first one that does not fit."""
    pos = start
    while pos < end:
        header = read_at(stream, pos, 16)
        if len(header) < 8:
            raise BadBox("short header")
        size, kind = struct.unpack(">I4s", header[:8])
        head = 8
        if size == 1:
            if len(header) < 16:
                raise BadBox("short large-size header")
            size, head = struct.unpack(">Q", header[8:16])[0], 16
        elif size == 0:  # runs to the end
            size = end - pos
        if not all(0x20 <= b <= 0x7E for b in kind) or size < head or pos + size > end:
            raise BadBox("box does not fit")
        yield pos, head, size, kind
        pos += size


def check_mp4(stream, size: int) -> None:
    """The first top-level boxes must fit in the file, the first being ``ftyp``; a walk that
    reaches the end must have met the ``moov`` box a player needs."""
    invalid = ValidationError(_("El video está dañado o no es un MP4/MOV válido."), code="invalid_video")
    seen, reached_end = set(), False
    try:
        for count, (pos, _head, box_size, kind) in enumerate(boxes(stream, 0, size), start=1):
            if pos == 0 and (kind != b"ftyp" or not 16 <= box_size <= _MP4_MAX_FTYP):
                raise invalid
            seen.add(kind)
            reached_end = pos + box_size == size
            if count >= _MP4_BOXES_CHECKED:
                break
    except ValidationError:
        raise
    except Exception:
        raise invalid from None
    if reached_end and b"moov" not in seen:
        raise invalid


def check_webm(head: bytes) -> None:
    """WebM is Matroska with DocType "webm" in the EBML header, which comes first."""
    if b"\x42\x82" not in head[:64] or b"webm" not in head[:64]:
        raise ValidationError(_("El video está dañado o no es un WebM válido."), code="invalid_video")


def metadata_boxes(stream, start: int, end: int, depth: int = 0) -> list[tuple[int, int, int]]:
    """Offsets of the boxes that carry metadata (user data with GPS, device and author; iTunes
    tags; XMP), found by walking the box tree without reading the media. A malformed box
    ends the walk of its level."""
    found = []
    try:
        for pos, head, size, kind in boxes(stream, start, end):
            if kind in _MP4_HIDDEN:
                found.append((pos, head, size))
            elif kind == b"uuid" and read_at(stream, pos + head, 16) == _XMP_UUID:
                found.append((pos, head, size))
            elif kind in _MP4_CONTAINERS and depth < 8:
                found += metadata_boxes(stream, pos + head, pos + size, depth + 1)
    except BadBox:
        pass
    return found


def anonymise_mp4(src: Path, dst) -> None:
    """Copy the file and turn every metadata box (``udta``, ``meta`` with the iTunes ``ilst``
    tags, XMP) into a zero-filled ``free`` box of the same size: players skip ``free`` boxes,
    and as nothing moves, the media offsets stay valid."""
    with open(src, "rb") as source:
        hidden = metadata_boxes(source, 0, os.fstat(source.fileno()).st_size)
        source.seek(0)
        base = dst.tell()
        shutil.copyfileobj(source, dst, CHUNK)
    for offset, head, size in hidden:
        dst.seek(base + offset + 4)
        dst.write(b"free")
        dst.seek(base + offset + head)
        left = size - head
        while left:
            step = min(left, CHUNK)
            dst.write(bytes(step))
            left -= step
