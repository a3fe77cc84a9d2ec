"""Rules for images the network uploads (institution logos)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


def validate_logo(image) -> None:
    """Refuse a logo that is too heavy to show in the directory.

    Wagtail's own image form already refuses files that are not images and files over
    ``WAGTAILIMAGES_MAX_UPLOAD_SIZE``; a logo has a tighter limit of its own.
    """
    limit = settings.ENLACE_LOGO_MAX_BYTES
    size = image.get_file_size() if hasattr(image, "get_file_size") else image.file_size
    if size and size > limit:
        raise ValidationError(
            {"logo": _("El logotipo pesa %(size)s; el máximo es %(limit)s. Suba una versión "
                       "más ligera (PNG o SVG exportado a PNG).")
             % {"size": filesizeformat(size), "limit": filesizeformat(limit)}}
        )
