"""Private files: the entrant's own, staff's, the jurors' anonymised copies, and the archive's."""

from __future__ import annotations

import logging
import re

from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header

from contests import files as filecheck
from contests.domain.archive import archived_entries
from contests.domain.blind import blind_copy
from contests.enums import EntryStatus
from contests.models import EntryFile

logger = logging.getLogger(__name__)


SINGLE_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 64 * 1024


def _requested_range(request, size: int) -> tuple[int, int] | None:
    """The one byte range asked for, as (first, last) inclusive; None for the whole file.
    Several ranges, ``If-Range`` or a header we do not understand get the whole file, as
    RFC 9110 allows. Raises ``ValueError`` for a range that lies past the end."""
    header = request.headers.get("Range", "")
    match = SINGLE_RANGE.match(header.strip())
    if not match or request.headers.get("If-Range") or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    if first == "":  # the last N bytes
        length = int(last)
        if length == 0:
            raise ValueError
        return max(0, size - length), size - 1
    first = int(first)
    last = min(int(last), size - 1) if last else size - 1
    if first >= size or last < first:
        raise ValueError
    return first, last


class _Part:
    """Bytes ``first``..``last`` of an open file, in chunks; closed by the response even when
    nobody reads it (a HEAD request, a client gone before the body)."""

    def __init__(self, fileobj, first: int, last: int):
        self.fileobj, self.first, self.last = fileobj, first, last

    def __iter__(self):
        self.fileobj.seek(self.first)
        left = self.last - self.first + 1
        while left > 0:
            chunk = self.fileobj.read(min(CHUNK, left))
            if not chunk:
                return
            left -= len(chunk)
            yield chunk

    def close(self):
        self.fileobj.close()


def _response(request, entry_file: EntryFile, fileobj, *, name: str, inline: bool):
    """The file, whole or the one byte range asked for (players seek with ranges)."""
    _kind, _ext, mime = filecheck.FORMATS[entry_file.format]
    size = fileobj.size
    try:
        wanted = _requested_range(request, size)
    except ValueError:
        fileobj.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
    else:
        if wanted is None:
            response = FileResponse(fileobj, content_type=mime, as_attachment=not inline,
                                    filename=name)
        else:
            first, last = wanted
            response = StreamingHttpResponse(_Part(fileobj, first, last), status=206,
                                             content_type=mime)
            response["Content-Disposition"] = content_disposition_header(not inline, name)
            response["Content-Range"] = f"bytes {first}-{last}/{size}"
            response["Content-Length"] = str(last - first + 1)
    response["Accept-Ranges"] = "bytes"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def own_file(request, pk: int):
    """The entrant (or an accepted co-author) and staff who may see personal data."""
    if not request.user.is_authenticated:
        raise Http404
    entry_file = get_object_or_404(EntryFile.objects.select_related("entry"), pk=pk)
    entry = entry_file.entry
    if not request.user.has_perm("contests.see_entry_files", entry):
        raise Http404
    return _response(request, entry_file, entry_file.file.open("rb"), name=entry_file.original_name,
                     inline=request.GET.get("ver") == "1")


def _blind(entry_file: EntryFile):
    """The stored blind copy, open for reading; never the original."""
    try:
        return blind_copy(entry_file).open("rb")
    except Exception:
        logger.exception("Could not make the blind copy of file %s", entry_file.pk)
        raise Http404 from None


def juror_file(request, pk: int):
    """An assigned juror gets an anonymised copy under an anonymous name."""
    entry_file = get_object_or_404(EntryFile.objects.select_related("entry__category"), pk=pk,
                                   entry__status=EntryStatus.SUBMITTED)
    if not request.user.has_perm("contests.review_entry", entry_file.entry):
        raise Http404
    _kind, ext, _mime = filecheck.FORMATS[entry_file.format]
    return _response(request, entry_file, _blind(entry_file), name=f"{entry_file.entry.anonymous_code}{ext}",
                     inline=request.GET.get("ver") == "1")


def archive_file(request, folio: str, slot: str):
    """Awarded works for everyone: the anonymised copy (no EXIF, tags or PDF author) under the
    folio, never the entrant's own file name."""
    entry = get_object_or_404(archived_entries(), folio=folio)
    entry_file = get_object_or_404(entry.files, slot=slot)
    _kind, ext, _mime = filecheck.FORMATS[entry_file.format]
    return _response(request, entry_file, _blind(entry_file), name=f"{entry.folio}{ext}",
                     inline=request.GET.get("descargar") != "1")
