"""Small, valid (or deliberately broken) files built in code, for the contests' file tests.

Nothing binary is committed: every fixture is made here from a few bytes or with the
libraries the app itself uses."""

from __future__ import annotations

import io
import random
import struct

from PIL import Image
from PIL.PngImagePlugin import PngInfo
from pypdf import PdfWriter
from pypdf.actions import JavaScript

# MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, joint stereo, no CRC, no padding: 417 bytes.
MP3_HEADER = b"\xff\xfb\x90\x64"
MP3_FRAME = MP3_HEADER + bytes(417 - len(MP3_HEADER))
MP3_FRAME_SECONDS = 1152 / 44100


def _syncsafe(n: int) -> bytes:
    return bytes(((n >> 21) & 0x7F, (n >> 14) & 0x7F, (n >> 7) & 0x7F, n & 0x7F))


def id3v2_tag(artist: str, *, title: str = "Mi spot") -> bytes:
    """A minimal ID3v2.3 tag with TPE1 (artist) and TIT2 (title), texts in UTF-16."""
    frames = b""
    for frame_id, text in ((b"TPE1", artist), (b"TIT2", title)):
        payload = b"\x01" + text.encode("utf-16")  # encoding 1: UTF-16 with BOM
        frames += frame_id + struct.pack(">I", len(payload)) + b"\x00\x00" + payload
    frames += bytes(32)  # padding
    return b"ID3\x03\x00\x00" + _syncsafe(len(frames)) + frames


def mp3_frames(seconds: float) -> bytes:
    return MP3_FRAME * round(seconds * 44100 / 1152)


def mp3_bytes(seconds: float, *, id3_artist: str | None = None) -> bytes:
    """CBR MPEG-1 Layer III at 128 kbit/s and 44.1 kHz lasting ``seconds`` (to one frame,
    26 ms), optionally after an ID3v2.3 tag naming ``id3_artist``."""
    return (id3v2_tag(id3_artist) if id3_artist else b"") + mp3_frames(seconds)


def id3v1_tag(artist: str) -> bytes:
    def field(text: str, n: int) -> bytes:
        return text.encode("latin-1")[:n].ljust(n, b"\x00")

    return (b"TAG" + field("Mi spot", 30) + field(artist, 30) + field("", 30) + b"2026" + field("", 30)
            + b"\xff")


def wav_bytes(seconds: float, *, with_info_artist: str | None = None, rate: int = 8000) -> bytes:
    """16-bit mono PCM lasting ``seconds``; with ``with_info_artist``, a LIST/INFO chunk with
    IART (artist) and INAM (title) before the data, where many tools put it."""
    frames = round(seconds * rate)
    data = (struct.pack("<hh", 3000, -3000) * (frames // 2 + 1))[: frames * 2]
    chunks = b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, rate, rate * 2, 2, 16)
    if with_info_artist:
        info = b"INFO"
        for key, text in ((b"IART", with_info_artist), (b"INAM", "Mi spot")):
            value = text.encode("utf-8") + b"\x00"
            info += key + struct.pack("<I", len(value)) + value + (b"\x00" if len(value) % 2 else b"")
        chunks += b"LIST" + struct.pack("<I", len(info)) + info
    chunks += b"data" + struct.pack("<I", len(data)) + data
    return b"RIFF" + struct.pack("<I", 4 + len(chunks)) + b"WAVE" + chunks


def pdf_bytes(pages: int = 1, author: str | None = None, javascript: bool = False, *,
              attachment: bool = False, password: str | None = None) -> bytes:
    """A PDF of blank pages. ``author`` goes into the document information (Author, Creator,
    Title) and into an XMP packet. pypdf 7 removed ``add_js``; the JavaScript open action
    goes in with ``add_open_action(JavaScript(...))``, which writes the same /Names tree."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if author:
        writer.add_metadata({"/Author": author, "/Creator": f"Word de {author}",
                             "/Title": f"Ensayo de {author}"})
        writer.xmp_metadata = (
            '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
            '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>"
            '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
        ).encode()
    if javascript:
        writer.add_open_action(JavaScript("app.alert('hola');"))
    if attachment:
        writer.add_attachment("datos.txt", b"hola")
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def png_bytes(w: int, h: int, *, mode: str = "RGB", text: dict[str, str] | None = None,
              noise: bool = False) -> bytes:
    """A PNG of ``w`` x ``h``. Mode "1" keeps huge canvases tiny on disk. ``text`` adds tEXt
    chunks; ``noise`` makes the pixels incompressible (so cutting the file cuts pixel data)."""
    if noise:
        img = Image.frombytes("RGB", (w, h), random.Random(7).randbytes(w * h * 3)).convert(mode)
    else:
        img = Image.new(mode, (w, h), color=1 if mode == "1" else (200, 30, 90) if mode == "RGB" else 0)
    info = PngInfo()
    for key, value in (text or {}).items():
        info.add_text(key, value)
    out = io.BytesIO()
    img.save(out, format="PNG", pnginfo=info)
    img.close()
    return out.getvalue()


def jpeg_bytes(w: int, h: int, *, artist: str | None = None, orientation: int | None = None,
               comment: str | None = None) -> bytes:
    """A JPEG of ``w`` x ``h`` with, optionally, EXIF Artist (and Orientation) and a comment."""
    img = Image.new("RGB", (w, h), color=(20, 120, 220))
    for x in range(w // 2):  # a left half in another colour, to tell rotations apart
        for y in range(h):
            img.putpixel((x, y), (250, 250, 0))
    params: dict = {"quality": 90}
    if artist or orientation:
        exif = Image.Exif()
        if artist:
            exif[0x013B] = artist
        if orientation:
            exif[0x0112] = orientation
        params["exif"] = exif.tobytes()
    if comment:
        params["comment"] = comment.encode()
    out = io.BytesIO()
    img.save(out, format="JPEG", **params)
    img.close()
    return out.getvalue()


def box(kind: bytes, payload: bytes = b"") -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def mp4_bytes(*, brand: bytes = b"isom", mdat: int = 1024) -> bytes:
    """An ISO BMFF skeleton: ftyp, an (empty) moov and an mdat of ``mdat`` bytes."""
    ftyp = box(b"ftyp", brand + b"\x00\x00\x02\x00" + brand + b"mp41")
    return ftyp + box(b"moov") + box(b"mdat", bytes(mdat))


def webm_head() -> bytes:
    """The EBML header of a WebM file (DocType "webm") and the start of a Segment."""
    ebml = (b"\x42\x86\x81\x01" b"\x42\xf7\x81\x01" b"\x42\xf2\x81\x04" b"\x42\xf3\x81\x08"
            b"\x42\x82\x84webm" b"\x42\x87\x81\x04" b"\x42\x85\x81\x02")
    segment = b"\x18\x53\x80\x67\x01\xff\xff\xff\xff\xff\xff\xff"  # size unknown (live)
    return b"\x1a\x45\xdf\xa3" + bytes((0x80 | len(ebml),)) + ebml + segment


def studio_wav(*, bits: int, float_samples: bool = False, extensible: bool = False, channels: int = 2,
               rate: int = 48000, frames: int = 48000 * 3 + 17, with_info_artist: str | None = None,
               odd_chunk_first: bool = False) -> bytes:
    """A WAV as recording studios write them: ``bits`` per sample (8/16/24/32 integer PCM, or
    32/64 float), optionally WAVE_FORMAT_EXTENSIBLE (40-byte fmt), a ``fact`` chunk for float,
    a ``bext``-like chunk of odd size before the format when asked, and a LIST/INFO chunk."""
    block = channels * bits // 8
    code = 3 if float_samples else 1
    if extensible:
        sub = struct.pack("<H", code) + bytes.fromhex("000000001000800000aa00389b71")
        fmt = struct.pack("<HHIIHHHHI", 0xFFFE, channels, rate, rate * block, block, bits, 22, bits,
                          3 if channels == 2 else 4) + sub
    else:
        fmt = struct.pack("<HHIIHH", code, channels, rate, rate * block, block, bits)
    pattern = bytes(range(1, block + 1))
    data = pattern * frames
    chunks = b""
    if odd_chunk_first:
        chunks += b"bext" + struct.pack("<I", 5) + b"Juana" + b"\x00"
    chunks += b"fmt " + struct.pack("<I", len(fmt)) + fmt
    if float_samples:
        chunks += b"fact" + struct.pack("<II", 4, frames)
    if with_info_artist:
        value = with_info_artist.encode("utf-8") + b"\x00"
        value += b"\x00" * (len(value) % 2)
        info = b"INFO" + b"IART" + struct.pack("<I", len(value)) + value
        chunks += b"LIST" + struct.pack("<I", len(info)) + info
    chunks += b"data" + struct.pack("<I", len(data)) + data
    return b"RIFF" + struct.pack("<I", 4 + len(chunks)) + b"WAVE" + chunks
