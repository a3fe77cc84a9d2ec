"""Private files: the entrant's own, staff's, the jurors' anonymised copies, and the archive's."""

from __future__ import annotations

import os
import tempfile

from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from contests import files as filecheck
from contests.access import can_see_entrant_data, is_juror_of
from contests.domain.archive import archived_entries
from contests.models import EntryFile


def _response(entry_file: EntryFile, fileobj, *, name: str, inline: bool):
    _kind, _ext, mime = filecheck.FORMATS[entry_file.format]
    response = FileResponse(fileobj, content_type=mime, as_attachment=not inline, filename=name)
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
    allowed = can_see_entrant_data(request.user) or type(entry).objects.filter(
        Q(owner=request.user) | Q(coauthors__user=request.user, coauthors__accepted_at__isnull=False),
        pk=entry.pk).exists()
    if not allowed:
        raise Http404
    return _response(entry_file, entry_file.file.open("rb"), name=entry_file.original_name,
                     inline=request.GET.get("ver") == "1")


def juror_file(request, pk: int):
    """An assigned juror gets an anonymised copy under an anonymous name."""
    entry_file = get_object_or_404(EntryFile.objects.select_related("entry__category"), pk=pk)
    if not is_juror_of(request.user, entry_file.entry):
        raise Http404
    spooled = tempfile.TemporaryFile()
    if _is_local(entry_file):
        filecheck.write_anonymised(entry_file.file.path, entry_file.format, spooled)
    else:
        source = _local_copy(entry_file)
        try:
            filecheck.write_anonymised(source, entry_file.format, spooled)
        finally:
            os.remove(source)
    spooled.seek(0)
    _kind, ext, _mime = filecheck.FORMATS[entry_file.format]
    return _response(entry_file, spooled, name=f"{entry_file.entry.anonymous_code}{ext}",
                     inline=request.GET.get("ver") == "1")


def archive_file(request, folio: str, slot: str):
    entry = get_object_or_404(archived_entries(), folio=folio)
    entry_file = get_object_or_404(entry.files, slot=slot)
    return _response(entry_file, entry_file.file.open("rb"), name=f"{entry.folio}-{entry_file.original_name}",
                     inline=request.GET.get("descargar") != "1")


def _is_local(entry_file) -> bool:
    try:
        return bool(entry_file.file.path)
    except NotImplementedError:
        return False


def _local_copy(entry_file) -> str:
    """Object storage: bring the file to a temporary file to anonymise it."""
    import shutil

    handle = tempfile.NamedTemporaryFile(delete=False)
    with entry_file.file.open("rb") as source:
        shutil.copyfileobj(source, handle, 1024 * 1024)
    handle.close()
    return handle.name
