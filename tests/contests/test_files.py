"""Entrants' files are judged by their bytes, and jurors get copies without the author's name."""

import io
import random

import mutagen.mp4
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from mutagen.mp3 import MP3
from PIL import Image
from pypdf import PdfReader

from contests import files
from contests.files import inspect, safe_display_name, sniff, write_anonymised

from .files_factory import (
    id3v1_tag,
    jpeg_bytes,
    mp3_bytes,
    mp3_frames,
    mp4_bytes,
    pdf_bytes,
    png_bytes,
    studio_wav,
    wav_bytes,
    webm_head,
)

AUDIO = {"mp3", "wav"}
MB = 1024 * 1024
ARTIST = "Juana Pérez Ñúñez"


def check(data: bytes, accept, *, max_bytes: int = 50 * MB, **kwargs):
    stream = io.BytesIO(data)
    info = inspect(stream, accept=accept, max_bytes=max_bytes, **kwargs)
    assert stream.tell() == 0
    return info


def refusal(data: bytes, accept, **kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        check(data, accept, **kwargs)
    assert len(caught.value.messages) == 1
    return caught.value.messages[0]


def not_accepted(formats: str) -> str:
    return (f"El contenido del archivo no es de un tipo aceptado (se aceptan: {formats}). "
            "Cambiar la extensión no cambia el tipo.")


BAD_MP3 = "El archivo no es un audio MP3 válido."
BAD_PDF = "El PDF está dañado o incompleto; no se pudo abrir."
BAD_IMAGE = "La imagen está dañada o incompleta."
BAD_VIDEO = "El video está dañado o no es un MP4/MOV válido."


# --- sniffing --------------------------------------------------------------------------------


@pytest.mark.parametrize(("head", "expected"), [
    (mp3_bytes(0.1, id3_artist="x")[:64], "mp3"),
    (mp3_bytes(0.1)[:64], "mp3"),
    (wav_bytes(0.1)[:64], "wav"),
    (b"%PDF-1.7\n" + bytes(55), "pdf"),
    (b"\xef\xbb\xbf" + b" " * 500 + b"%PDF-1.4\n", "pdf"),
    (jpeg_bytes(8, 8)[:64], "jpeg"),
    (png_bytes(8, 8)[:64], "png"),
    (mp4_bytes()[:64], "mp4"),
    (mp4_bytes(brand=b"qt  ")[:64], "mov"),
    (webm_head()[:64], "webm"),
    (b"\xff\xfd\x90\x64" + bytes(60), None),  # MPEG Layer II, not an MP3
    (b"Hola, este es un texto." * 4, None),
    (b"", None),
])
def test_sniff_reads_signatures_not_names(head, expected):
    assert sniff(head) == expected


# --- accepted files --------------------------------------------------------------------------


def test_a_ten_second_mp3_is_accepted_with_its_duration():
    info = check(mp3_bytes(10, id3_artist=ARTIST), AUDIO, max_seconds=30)
    assert (info.format, info.kind, info.extension, info.mime) == ("mp3", "audio", ".mp3", "audio/mpeg")
    assert info.duration == pytest.approx(10, abs=0.2)
    assert info.size == len(mp3_bytes(10, id3_artist=ARTIST))


def test_the_mp3_factory_writes_a_tag_mutagen_reads():
    audio = MP3(io.BytesIO(mp3_bytes(1, id3_artist=ARTIST)))
    assert audio.tags["TPE1"].text == [ARTIST]


def test_a_29_9_second_wav_is_accepted():
    info = check(wav_bytes(29.9, with_info_artist=ARTIST), AUDIO, max_seconds=30)
    assert (info.format, info.kind, info.extension) == ("wav", "audio", ".wav")
    assert info.duration == pytest.approx(29.9, abs=0.01)


def test_a_one_page_pdf_is_accepted():
    info = check(pdf_bytes(1), {"pdf"})
    assert (info.format, info.kind, info.extension, info.mime, info.pages) == (
        "pdf", "pdf", ".pdf", "application/pdf", 1)


def test_images_are_accepted_with_their_size():
    info = check(png_bytes(40, 30), {"jpeg", "png"})
    assert (info.format, info.kind, info.extension, info.width, info.height) == (
        "png", "image", ".png", 40, 30)
    info = check(jpeg_bytes(16, 12, artist=ARTIST), {"jpeg", "png"})
    assert (info.format, info.extension, info.mime, info.width, info.height) == (
        "jpeg", ".jpg", "image/jpeg", 16, 12)


def test_video_containers_are_accepted_by_their_signature():
    assert check(mp4_bytes(), {"mp4", "mov", "webm"}).format == "mp4"
    assert check(mp4_bytes(brand=b"qt  "), {"mp4", "mov", "webm"}).extension == ".mov"
    assert check(webm_head() + bytes(512), {"mp4", "mov", "webm"}).mime == "video/webm"


def test_django_uploads_are_read_and_left_at_the_start():
    upload = SimpleUploadedFile("spot.mp3", mp3_bytes(2), content_type="text/plain")
    assert inspect(upload, accept=AUDIO, max_bytes=MB).format == "mp3"
    assert upload.tell() == 0

    upload = TemporaryUploadedFile("ensayo.pdf", "application/pdf", 0, None)
    try:
        upload.write(pdf_bytes(2))
        upload.size = upload.tell()
        assert inspect(upload, accept={"pdf"}, max_bytes=MB).pages == 2
        assert upload.tell() == 0
    finally:
        upload.close()


def test_a_declared_size_over_the_limit_counts_even_if_the_bytes_were_dropped():
    """The upload handler counts bytes past the limit but does not keep them."""
    upload = SimpleUploadedFile("spot.mp3", mp3_bytes(2))
    upload.size = 30 * MB
    with pytest.raises(ValidationError) as caught:
        inspect(upload, accept=AUDIO, max_bytes=20 * MB)
    assert caught.value.messages == ["El archivo pesa 30.0 MB; el máximo para esta categoría es 20 MB."]


# --- refused files ---------------------------------------------------------------------------


def test_an_empty_file_is_refused():
    assert refusal(b"", AUDIO) == "El archivo está vacío."


def test_a_file_over_the_size_limit_is_refused():
    data = b"\0" * (3 * MB + 100_000)
    assert refusal(data, AUDIO, max_bytes=2 * MB) == (
        "El archivo pesa 3.1 MB; el máximo para esta categoría es 2 MB.")
    # Just over the limit never reads as "2.0 MB; el máximo es 2 MB".
    assert "pesa 2.1 MB" in refusal(b"\0" * (2 * MB + 1), AUDIO, max_bytes=2 * MB)


def test_a_text_file_renamed_mp3_is_refused():
    data = b"Este texto no es un audio, aunque se llame spot.mp3.\n" * 20
    assert refusal(data, AUDIO, original_name="spot.mp3") == not_accepted("MP3, WAV")


def test_a_png_is_not_a_jpeg_whatever_its_name():
    assert refusal(png_bytes(20, 20), {"jpeg"}, original_name="dibujo.jpg") == not_accepted("JPEG")


def test_a_pdf_is_not_audio():
    assert refusal(pdf_bytes(1), AUDIO) == not_accepted("MP3, WAV")


def test_random_bytes_after_an_id3_marker_are_refused():
    data = b"ID3" + random.Random(1).randbytes(50_000)
    assert refusal(data, AUDIO) == BAD_MP3


def test_a_text_that_starts_with_id3_is_refused():
    assert refusal(b"ID3 es el nombre de una etiqueta de audio.\n" * 200, AUDIO) == BAD_MP3


def test_one_frame_header_glued_to_noise_is_refused():
    data = mp3_frames(0.03)[:4] + random.Random(2).randbytes(20_000)
    assert refusal(data, AUDIO) == BAD_MP3


def test_a_tag_without_frames_is_refused():
    assert refusal(mp3_bytes(0, id3_artist=ARTIST) + bytes(5000), AUDIO) == BAD_MP3


def test_a_31_second_mp3_is_over_a_30_second_limit():
    assert refusal(mp3_bytes(31), AUDIO, max_seconds=30) == (
        "El audio dura 31.0 segundos; el máximo es 30 segundos.")


def test_junk_between_frames_does_not_hide_the_rest_of_the_audio():
    data = mp3_frames(20) + b"\x00junk\x01" * 20 + mp3_frames(20)
    assert "El audio dura 40.0 segundos" in refusal(data, AUDIO, max_seconds=30)


def test_mostly_junk_is_not_an_mp3():
    data = mp3_frames(1) + random.Random(3).randbytes(400_000)
    assert refusal(data, AUDIO) == BAD_MP3


def test_a_wav_over_the_limit_is_refused():
    assert refusal(wav_bytes(30.5), AUDIO, max_seconds=30) == (
        "El audio dura 30.5 segundos; el máximo es 30 segundos.")


def test_a_truncated_or_malformed_wav_is_refused():
    data = wav_bytes(2)
    assert refusal(data[: len(data) // 2], AUDIO) == "El archivo no es un audio WAV válido."
    assert refusal(data[:44].replace(b"fmt ", b"fmx "), AUDIO) == "El archivo no es un audio WAV válido."


def test_a_truncated_pdf_is_refused():
    data = pdf_bytes(3, author=ARTIST)
    assert refusal(data[: int(len(data) * 0.6)], {"pdf"}) == BAD_PDF


def test_a_pdf_without_its_eof_marker_is_refused():
    data = pdf_bytes(1).rstrip()
    assert data.endswith(b"%%EOF")
    assert refusal(data[: -len(b"%%EOF")], {"pdf"}) == BAD_PDF


def test_a_pdf_with_javascript_is_refused():
    assert refusal(pdf_bytes(1, javascript=True), {"pdf"}) == (
        "El PDF contiene código o archivos incrustados; envíe un PDF sin contenido activo.")


def test_active_content_is_found_by_structure_too(monkeypatch):
    """Names hidden from a byte scan (compressed object streams, #-escapes) are still found."""
    monkeypatch.setattr(files.pdf, "has_active_tokens", lambda stream, size: False)
    assert "contiene código" in refusal(pdf_bytes(1, javascript=True), {"pdf"})
    assert "contiene código" in refusal(pdf_bytes(1, attachment=True), {"pdf"})
    assert check(pdf_bytes(1), {"pdf"}).pages == 1


def test_a_pdf_with_an_embedded_file_is_refused():
    assert "archivos incrustados" in refusal(pdf_bytes(1, attachment=True), {"pdf"})


def test_an_encrypted_pdf_is_refused():
    assert refusal(pdf_bytes(1, password="secreto"), {"pdf"}) == (
        "El PDF está protegido con contraseña; envíelo sin contraseña.")


def test_a_pdf_over_500_pages_is_refused():
    assert refusal(pdf_bytes(501), {"pdf"}) == "El PDF tiene 501 páginas; el máximo es 500."


def test_a_decompression_bomb_is_refused_quickly():
    bomb = png_bytes(10000, 10000, mode="1")  # 100 megapixels in a few KB
    assert len(bomb) < 100_000
    assert refusal(bomb, {"png"}) == (
        "La imagen es demasiado grande (100.0 megapíxeles); el máximo es 40 megapíxeles.")


def test_the_pixel_limit_is_ours_not_only_pillows():
    """48 megapixels pass Pillow's own limit (about 89) but not the contest's 40."""
    assert refusal(png_bytes(8000, 6000, mode="1"), {"png"}) == (
        "La imagen es demasiado grande (48.0 megapíxeles); el máximo es 40 megapíxeles.")


def test_a_truncated_image_is_refused():
    data = png_bytes(64, 64, noise=True)
    assert refusal(data[: int(len(data) * 0.6)], {"png"}) == BAD_IMAGE
    data = jpeg_bytes(64, 64)
    assert refusal(data[: len(data) // 2], {"jpeg"}) == BAD_IMAGE


def test_an_ftyp_glued_to_garbage_is_not_a_video():
    garbage = b"\x7f\xff\xff\xffmoov" + random.Random(4).randbytes(4000)
    assert refusal(mp4_bytes()[:24] + garbage, {"mp4", "mov"}) == BAD_VIDEO
    assert refusal(mp4_bytes()[:24] + random.Random(5).randbytes(4000), {"mp4", "mov"}) == BAD_VIDEO


def test_an_mp4_without_a_moov_box_is_refused():
    data = mp4_bytes().replace(b"\x00\x00\x00\x08moov", b"\x00\x00\x00\x08free")
    assert refusal(data, {"mp4"}) == BAD_VIDEO


def test_matroska_that_is_not_webm_is_refused():
    assert refusal(webm_head().replace(b"webm", b"mkv!") + bytes(100), {"webm"}) == (
        "El video está dañado o no es un WebM válido.")


class SparseVideo(io.RawIOBase):
    """A 1 GB MP4 that exists only as headers: counts what is read."""

    size = 1024 * MB

    def __init__(self):
        head = mp4_bytes(mdat=0)
        mdat_size = self.size - len(head) + 8
        self.head = head[:-8] + mdat_size.to_bytes(4, "big") + b"mdat"
        self.pos = 0
        self.bytes_read = 0

    def readable(self):
        return True

    def seekable(self):
        return True

    def seek(self, offset, whence=0):
        self.pos = {0: 0, 1: self.pos, 2: self.size}[whence] + offset
        return self.pos

    def tell(self):
        return self.pos

    def readinto(self, buffer):
        n = max(0, min(len(buffer), self.size - self.pos))
        chunk = self.head[self.pos:self.pos + n]
        buffer[:n] = chunk + bytes(n - len(chunk))
        self.pos += n
        self.bytes_read += n
        return n


def test_a_large_video_is_checked_without_reading_it():
    with SparseVideo() as video:
        info = inspect(video, accept={"mp4"}, max_bytes=2048 * MB)
        assert (info.format, info.size) == ("mp4", 1024 * MB)
        assert video.bytes_read < 64 * 1024
        assert video.tell() == 0


def test_unknown_format_codes_are_a_programming_error():
    with pytest.raises(ValueError):
        inspect(io.BytesIO(b"x"), accept={"exe"}, max_bytes=MB)


# --- display names ---------------------------------------------------------------------------


@pytest.mark.parametrize(("original", "extension", "expected"), [
    ("../../etc/passwd.mp3", ".mp3", "passwd.mp3"),
    ("C:\\\\Users\\\\x\\\\mi spot<script>.MP3", ".mp3", "mi spotscript.mp3"),
    ("C:\\Users\\x\\mi spot<script>.MP3", ".mp3", "mi spotscript.mp3"),
    ("Canción   de\tcuna.wav", ".mp3", "Canción de cuna.mp3"),
    ("Cancio\u0301n.wav", ".wav", "Canción.wav"),  # decomposed accent, normalised to NFC
    ("ensayo\x00final\x1f.pdf.exe", ".pdf", "ensayofinal.pdf"),
    ("spot.mp3.exe", ".mp3", "spot.mp3"),  # the name shows the type found in the content
    ("spot.mp3.exe", ".pdf", "spot.pdf"),
    ("spot\u202e3pm.exe", ".pdf", "spot3pm.pdf"),  # right-to-left override hiding .exe
    ("informe v1.2 final.wav", ".wav", "informe v1.2 final.wav"),
    ("foto\u202egpj.exe", ".jpg", "fotogpj.jpg"),  # a right-to-left override is dropped
    ("dibujo", ".png", "dibujo.png"),
    ("Mi_ensayo-v2 final.docx", ".pdf", "Mi_ensayo-v2 final.pdf"),
    ("..", ".pdf", "archivo.pdf"),
    ("", ".mp3", "archivo.mp3"),
    ("<<>>.mp3", ".mp3", "archivo.mp3"),
])
def test_safe_display_name(original, extension, expected):
    assert safe_display_name(original, extension) == expected


def test_safe_display_name_is_at_most_80_characters():
    name = safe_display_name("ñ" * 200 + ".pdf", ".pdf")
    assert len(name) == 80 and name == "ñ" * 76 + ".pdf"


# --- anonymised copies -----------------------------------------------------------------------


def anonymise(tmp_path, data: bytes, fmt: str) -> bytes:
    src = tmp_path / f"original.{fmt}"
    src.write_bytes(data)
    out = io.BytesIO()
    write_anonymised(src, fmt, out)
    return out.getvalue()


def name_traces(name: str) -> list[bytes]:
    return [name.encode(enc) for enc in ("utf-8", "utf-16-le", "utf-16-be", "latin-1")] + [b"Juana"]


def test_the_mp3_copy_has_no_tags_and_the_same_audio(tmp_path):
    original = mp3_bytes(10, id3_artist=ARTIST) + id3v1_tag("Juana Perez")
    copy = anonymise(tmp_path, original, "mp3")
    assert not any(trace in copy for trace in name_traces(ARTIST))
    assert copy == mp3_frames(10)
    assert check(copy, AUDIO).duration == pytest.approx(check(original, AUDIO).duration, abs=0.01)
    assert MP3(io.BytesIO(copy)).tags is None


def test_the_wav_copy_has_no_info_chunk(tmp_path):
    original = wav_bytes(3, with_info_artist=ARTIST)
    copy = anonymise(tmp_path, original, "wav")
    assert b"LIST" not in copy and b"IART" not in copy
    assert not any(trace in copy for trace in name_traces(ARTIST))
    assert check(copy, AUDIO).duration == pytest.approx(3, abs=0.001)
    assert copy.endswith(original[-1000:])


def test_the_pdf_copy_has_no_author(tmp_path):
    original = pdf_bytes(3, author=ARTIST)
    assert b"Juana" in original
    copy = anonymise(tmp_path, original, "pdf")
    assert b"Juana" not in copy
    reader = PdfReader(io.BytesIO(copy), strict=True)
    metadata = reader.metadata or {}
    assert "/Author" not in metadata and "/Creator" not in metadata and "/Title" not in metadata
    assert "Juana" not in str(metadata.get("/Producer", ""))
    assert reader.xmp_metadata is None
    assert len(reader.pages) == 3
    assert check(copy, {"pdf"}).pages == 3


def test_the_png_copy_has_no_text_chunks(tmp_path):
    original = png_bytes(30, 20, text={"Author": ARTIST, "Comment": "hecho por Juana"})
    with Image.open(io.BytesIO(original)) as img:
        assert img.text["Author"] == ARTIST
    copy = anonymise(tmp_path, original, "png")
    assert b"tEXt" not in copy and b"iTXt" not in copy and b"Juana" not in copy
    with Image.open(io.BytesIO(copy)) as img:
        assert img.format == "PNG" and img.size == (30, 20) and not img.text
        assert img.getpixel((0, 0)) == (200, 30, 90)


def test_the_jpeg_copy_has_no_exif_and_stays_upright(tmp_path):
    original = jpeg_bytes(40, 20, artist=ARTIST, orientation=6, comment="Juana")  # 6: rotate 90° to view
    copy = anonymise(tmp_path, original, "jpeg")
    assert b"Juana" not in copy and b"Exif" not in copy
    with Image.open(io.BytesIO(copy)) as img:
        assert img.format == "JPEG" and not img.getexif() and "comment" not in img.info
        assert img.size == (20, 40)  # turned upright, as viewers showed it
    assert check(copy, {"jpeg"}).width == 20


def test_the_mp4_copy_loses_its_tags(tmp_path):
    src = tmp_path / "video.mp4"
    src.write_bytes(mp4_bytes())
    tagged = mutagen.mp4.MP4(src)
    tagged.add_tags()
    tagged.tags["\xa9ART"] = [ARTIST]
    tagged.save()
    assert ARTIST.encode() in src.read_bytes()
    out = io.BytesIO()
    write_anonymised(src, "mp4", out)
    assert ARTIST.encode() not in out.getvalue()
    assert check(out.getvalue(), {"mp4"}).format == "mp4"
    assert ARTIST.encode() in src.read_bytes()  # the original is untouched


def test_videos_mutagen_cannot_read_are_copied_unchanged(tmp_path):
    webm = webm_head() + bytes(300)
    assert anonymise(tmp_path, webm, "webm") == webm
    odd = mp4_bytes(brand=b"qt  ")[:24] + b"\x00\x00\x00\x10wide" + bytes(8)
    assert anonymise(tmp_path, odd, "mov") == odd


def test_the_mp4_copy_blanks_user_data_and_xmp_but_keeps_the_media(tmp_path):
    """Phones write place and device into moov/udta; editors write XMP into a uuid box."""
    from tests.contests.files_factory import box

    gps = box(b"udta", box(b"\xa9xyz", b"+19.4326-099.1332/") + box(b"\xa9mak", b"Telefono de Ana"))
    xmp = box(b"uuid", bytes.fromhex("be7acfcb97a942e89c71999491e3afac") + b"<x:xmpmeta>Ana</x:xmpmeta>")
    ftyp = box(b"ftyp", b"isom\x00\x00\x02\x00isommp41")
    media = bytes(range(256)) * 4
    original = ftyp + box(b"moov", box(b"mvhd", bytes(100)) + gps) + xmp + box(b"mdat", media)
    copy = anonymise(tmp_path, original, "mp4")
    assert len(copy) == len(original) and copy.endswith(media)
    for secret in (b"+19.4326", b"Telefono de Ana", b"xmpmeta"):
        assert secret in original and secret not in copy
    assert check(copy, {"mp4"}).format == "mp4"


# --- studio WAV formats ------------------------------------------------------------------------


STUDIO_WAVS = [
    pytest.param({"bits": 8}, id="8-bit-pcm"),
    pytest.param({"bits": 16}, id="16-bit-pcm"),
    pytest.param({"bits": 24}, id="24-bit-pcm"),
    pytest.param({"bits": 32}, id="32-bit-pcm"),
    pytest.param({"bits": 32, "float_samples": True}, id="32-bit-float"),
    pytest.param({"bits": 64, "float_samples": True}, id="64-bit-float"),
    pytest.param({"bits": 24, "extensible": True}, id="24-bit-extensible"),
    pytest.param({"bits": 32, "extensible": True, "float_samples": True}, id="32-bit-float-extensible"),
    pytest.param({"bits": 24, "channels": 1, "rate": 96000, "frames": 96000 * 2,
                  "odd_chunk_first": True}, id="24-bit-96k-mono-bext"),
]


@pytest.mark.parametrize("shape", STUDIO_WAVS)
def test_studio_wavs_are_accepted_with_their_exact_duration(shape):
    data = studio_wav(**shape)
    rate = shape.get("rate", 48000)
    frames = shape.get("frames", 48000 * 3 + 17)
    info = check(data, AUDIO, max_seconds=30)
    assert info.format == "wav" and info.duration == frames / rate


@pytest.mark.parametrize("shape", STUDIO_WAVS)
def test_the_blind_copy_of_a_studio_wav_keeps_the_samples_and_drops_the_tags(tmp_path, shape):
    from contests.files import wav

    source = tmp_path / "estudio.wav"
    source.write_bytes(studio_wav(with_info_artist=ARTIST, **shape))
    out = io.BytesIO()
    write_anonymised(source, "wav", out)
    copy = out.getvalue()
    assert ARTIST.encode() not in copy and b"LIST" not in copy and b"bext" not in copy
    original = wav.layout(io.BytesIO(source.read_bytes()), source.stat().st_size)
    blind = wav.layout(io.BytesIO(copy), len(copy))
    assert (blind.frames, blind.rate, blind.channels) == (original.frames, original.rate, original.channels)
    assert copy[blind.data_offset:blind.data_offset + blind.data_size] == \
        source.read_bytes()[original.data_offset:original.data_offset + original.data_size]
    assert check(copy, AUDIO).duration == check(source.read_bytes(), AUDIO).duration


@pytest.mark.parametrize("shape", [
    {"bits": 12}, {"bits": 16, "float_samples": True}, {"bits": 24, "channels": 0},
])
def test_wavs_no_player_plays_are_refused(shape):
    assert refusal(studio_wav(**shape), AUDIO) == "El archivo no es un audio WAV válido."


def test_a_studio_wav_over_the_limit_is_refused_with_its_length():
    data = studio_wav(bits=24, frames=48000 * 31)
    assert refusal(data, AUDIO, max_seconds=30) == \
        "El audio dura 31.0 segundos; el máximo es 30 segundos."
