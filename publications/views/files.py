"""Views: files. Downloads of READY files of live pages, immutable and cacheable forever
(those of private pages only for who may read the page, and never by a shared cache)."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified
from django.urls import path
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from hub import converters as _ids  # noqa: F401  (registers <dbid:>)

from ..domain import files as domain
from ..domain import stats
from ..models.files import PublicationFile


@require_safe
def download(request, file_id: int, version: int, slug: str, ext: str):
    """Serve one version of one file. 404 for anything not READY or not live."""
    file = domain.downloadable(file_id, version)
    if file is None or ext != file.format:
        raise Http404
    readable, private = domain.readable_by(file, request)
    if not readable:
        raise Http404
    etag = f'"{file.sha256}"'
    # A private page's file is never kept by a shared cache (it would serve it to anyone).
    cache_control = ("private, no-cache" if private
                     else "public, max-age=31536000, immutable")
    headers = {"ETag": etag, "Cache-Control": cache_control,
               "X-Content-Type-Options": "nosniff"}
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponseNotModified()
        for name, value in headers.items():
            response[name] = value
        return response
    filename = f"{file.page.slug}-v{file.version}.{file.format}"
    if request.method == "HEAD":
        response = HttpResponse(content_type=file.content_type)
        response["Content-Disposition"] = content_disposition_header(True, filename)
        response["Content-Length"] = str(file.size)
        for name, value in headers.items():
            response[name] = value
        return response
    try:
        handle = file.file.open("rb")
    except OSError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=filename,
                            content_type=file.content_type)
    response["Content-Length"] = str(file.size)
    for name, value in headers.items():
        response[name] = value
    domain.file_downloaded.send(sender=PublicationFile, file=file, page=file.page)
    if stats.is_countable(request.method, request.headers.get("User-Agent", "")):
        stats.count(file.page_id, stats.ReadingKind.DOWNLOAD)
    return response


urlpatterns: list = [
    path("publicaciones/archivo/<dbid:file_id>/v<dbid:version>/<str:slug>.<str:ext>", download,
         name="file_download"),
]
