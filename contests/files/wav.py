"""WAV: read from its RIFF chunks, so every PCM and float WAV a player plays is accepted
(8, 16, 24 and 32-bit integer PCM; 32 and 64-bit IEEE float; WAVE_FORMAT_EXTENSIBLE with
either), and its duration is exact: sample frames in the data chunk / sample rate. The blind
copy keeps only the format and the samples (no LIST/INFO, id3, bext or iXML chunks)."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .common import copy_range, read_at

PCM, IEEE_FLOAT, EXTENSIBLE = 0x0001, 0x0003, 0xFFFE
# KSDATAFORMAT_SUBTYPE_PCM / _IEEE_FLOAT: the format code, then this fixed GUID tail.
_GUID_TAIL = bytes.fromhex("000000001000800000aa00389b71")
_CONTAINER_BITS = {PCM: (8, 16, 24, 32), IEEE_FLOAT: (32, 64)}
_MAX_CHANNELS = 64
_MAX_RATE = 1_536_000
_MAX_CHUNKS = 10_000


class _InvalidWav(Exception):
    pass


@dataclass(frozen=True)
class WavLayout:
    fmt_offset: int  # of the fmt chunk's body
    fmt_size: int
    sample_format: int  # PCM or IEEE_FLOAT (an EXTENSIBLE file's sub-format)
    channels: int
    rate: int
    block_align: int
    data_offset: int
    data_size: int

    @property
    def frames(self) -> int:
        return self.data_size // self.block_align

    @property
    def duration(self) -> float:
        return self.frames / self.rate


def layout(stream, size: int) -> WavLayout:
    """The format and data chunks of a RIFF/WAVE file; raises ``_InvalidWav``."""
    head = read_at(stream, 0, 12)
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        raise _InvalidWav("not RIFF/WAVE")
    pos, fmt, data = 12, None, None
    for _n in range(_MAX_CHUNKS):
        if pos + 8 > size or (fmt and data):
            break
        chunk_id, chunk_size = struct.unpack("<4sI", read_at(stream, pos, 8))
        body = pos + 8
        if chunk_id == b"fmt ":
            if chunk_size < 16 or body + chunk_size > size:
                raise _InvalidWav("bad fmt chunk")
            fmt = (body, chunk_size, read_at(stream, body, min(chunk_size, 40)))
        elif chunk_id == b"data":
            data = (body, chunk_size)
        pos = body + chunk_size + (chunk_size & 1)
    if fmt is None or data is None:
        raise _InvalidWav("missing fmt or data")
    fmt_offset, fmt_size, raw = fmt
    code, channels, rate, _byte_rate, block_align, bits = struct.unpack("<HHIIHH", raw[:16])
    if code == EXTENSIBLE:
        if fmt_size < 40 or len(raw) < 40 or raw[26:40] != _GUID_TAIL:
            raise _InvalidWav("bad extensible format")
        valid_bits, sub = struct.unpack("<H", raw[18:20])[0], struct.unpack("<H", raw[24:26])[0]
        if valid_bits > bits:
            raise _InvalidWav("more valid bits than the container")
        code = sub
    if code not in _CONTAINER_BITS or bits not in _CONTAINER_BITS[code]:
        raise _InvalidWav("unsupported sample format")
    if not 1 <= channels <= _MAX_CHANNELS or not 1 <= rate <= _MAX_RATE:
        raise _InvalidWav("implausible channels or rate")
    if block_align != channels * bits // 8:
        raise _InvalidWav("block alignment does not match")
    data_offset, data_size = data
    if data_offset + data_size > size:  # the data chunk claims more than there is
        raise _InvalidWav("truncated data")
    result = WavLayout(fmt_offset, fmt_size, code, channels, rate, block_align, data_offset, data_size)
    if result.frames <= 0:
        raise _InvalidWav("no samples")
    return result


def check(stream, size: int) -> float:
    """The exact duration in seconds, or ``ValidationError``."""
    try:
        return layout(stream, size).duration
    except Exception:
        raise ValidationError(_("El archivo no es un audio WAV válido."), code="invalid_wav") from None


def anonymise(src: Path, dst) -> None:
    """A new RIFF/WAVE with the original format chunk (plus the ``fact`` chunk float audio
    calls for) and the samples; every other chunk is left out."""
    size = src.stat().st_size
    with open(src, "rb") as source:
        wav = layout(source, size)
        fmt_body = read_at(source, wav.fmt_offset, wav.fmt_size)
        fmt_chunk = b"fmt " + struct.pack("<I", wav.fmt_size) + fmt_body + b"\0" * (wav.fmt_size & 1)
        fact = b"" if wav.sample_format == PCM else b"fact" + struct.pack("<II", 4, wav.frames)
        data_size = wav.frames * wav.block_align
        riff_size = 4 + len(fmt_chunk) + len(fact) + 8 + data_size + (data_size & 1)
        dst.write(b"RIFF" + struct.pack("<I", riff_size) + b"WAVE" + fmt_chunk + fact
                  + b"data" + struct.pack("<I", data_size))
        copy_range(source, dst, wav.data_offset, data_size)
        if data_size & 1:
            dst.write(b"\0")
