"""Template tags of published files: images in print documents, and a page's downloads.

``{% load publications_files %}``
* ``{% pdf_image image "width-1400" as src %}`` — in print templates only (run by the job):
  makes the rendition and gives an address that the PDF maker reads from storage. A missing
  original raises, so the file is marked FAILED instead of silently losing a figure.
* ``{% publication_downloads page as downloads %}`` — on public pages: ``downloads.files``
  (READY files, newest first) and ``downloads.notice`` (the newest correction notice), with
  no more than one query.
"""

from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag
def pdf_image(image, spec: str = "width-1400") -> str:
    from django.utils.translation import gettext as _
    from wagtail.images.models import SourceImageIOError

    from ..domain.files import FileJobError, media_url

    try:
        return media_url(image.get_rendition(spec))
    except SourceImageIOError as exc:
        raise FileJobError(_("No se pudo leer la imagen «%(title)s» del almacenamiento.")
                           % {"title": image.title}) from exc


@register.simple_tag
def publication_downloads(page) -> dict:
    from ..domain.files import ready_files

    files = ready_files(page)
    notices = [f for f in files if f.version > 1 and f.notice]
    notice = max(notices, key=lambda f: f.version) if notices else None
    return {"files": files, "notice": notice}


@register.inclusion_tag("publications/includes/downloads.html")
def downloads_box(page) -> dict:
    return {"downloads": publication_downloads(page), "page": page}
