"""MP3: frames walked one by one between the leading and trailing tags; the duration is
what a player plays; the blind copy keeps only the frames."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from mutagen.mp3 import MP3

from .common import CHUNK, copy_range, quiet_warnings

# Layer III bitrates in kbit/s, by MPEG version (1, or 2 and 2.5), and sample rates by the
# header's version bits (3 = MPEG-1, 2 = MPEG-2, 0 = MPEG-2.5; 1 is reserved).
_MP3_BITRATES = {
    1: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_MP3_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}
_MP3_SYNC_WINDOW = 1024 * 1024  # where the first frame must start after the ID3v2 tags
_MP3_JUNK_FLOOR = 64 * 1024


def frame_header(h: bytes) -> tuple[int, int, int, int, int] | None:
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
        header = frame_header(self.win.get(first, 4))
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
            h = frame_header(self.win.get(pos, 4))
            if h and (rate is None or (h[2], h[3]) == (rate, version)) and pos + h[0] <= self.end:
                nxt = pos + h[0]
                if nxt == self.end and final_ok:
                    return pos
                g = frame_header(self.win.get(nxt, 4)) if nxt + 4 <= self.end else None
                if g and (g[2], g[3]) == (h[2], h[3]):
                    return pos
            pos += 1

    def __iter__(self) -> Iterator[tuple[int, int]]:
        pos, end = self.first, self.end
        while pos + 4 <= end:
            h = frame_header(self.win.get(pos, 4))
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


def check(stream, size: int) -> float:
    invalid = ValidationError(_("El archivo no es un audio MP3 válido."), code="invalid_mp3")
    try:
        stream.seek(0)
        with quiet_warnings():
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




def anonymise(src: Path, dst) -> None:
    """Copy only the MPEG frames (in chunks): ID3v2, ID3v1, APEv2, Lyrics3 and any junk
    between frames are left out. The frames themselves are unchanged."""
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
                    copy_range(copied, dst, run_start, run_end - run_start)
                run_start = offset
            run_end = offset + length
        if run_start is not None:
            copy_range(copied, dst, run_start, run_end - run_start)
