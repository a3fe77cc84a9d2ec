"""JPEG and PNG: decoded completely, under 40 megapixels; the blind copy is the pixels saved
again, upright, without EXIF, XMP, comments, ICC profile or text chunks."""

from __future__ import annotations

import re
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, JpegImagePlugin

from .common import limit_text, over, quiet_warnings

MAX_IMAGE_PIXELS = 40_000_000
PIL_FORMATS = {"jpeg": "JPEG", "png": "PNG"}

def check(stream, fmt: str) -> tuple[int, int]:
    damaged = ValidationError(_("La imagen está dañada o incompleta."), code="invalid_image")
    formats = [PIL_FORMATS[fmt]]
    try:
        stream.seek(0)
        with quiet_warnings(Image.DecompressionBombWarning), Image.open(stream, formats=formats) as img:
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
        with quiet_warnings(Image.DecompressionBombWarning):
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
        params={"mp": over(pixels / 1_000_000, MAX_IMAGE_PIXELS / 1_000_000),
                "limit": limit_text(MAX_IMAGE_PIXELS / 1_000_000)})


def anonymise(src: Path, fmt: str, dst) -> None:
    pil_format = PIL_FORMATS[fmt]
    with quiet_warnings(Image.DecompressionBombWarning), Image.open(src, formats=[pil_format]) as img:
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
