"""The copy of a work that jurors and the public get: identifying metadata stripped
(``files.write_anonymised``), made once per file and kept beside the original."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid

from django.core.files import File

from contests import files as filecheck
from contests.enums import EntryStatus
from contests.models import EntryFile


def blind_copy(entry_file: EntryFile):
    """The stored blind copy, made now if it does not exist yet. Two requests racing make it
    twice at most; the loser's copy is deleted."""
    if entry_file.blind_file:
        return entry_file.blind_file
    storage = entry_file.file.storage
    _kind, ext, _mime = filecheck.FORMATS[entry_file.format]
    with tempfile.TemporaryFile() as out:
        source, temporary = _local_path(entry_file)
        try:
            filecheck.write_anonymised(source, entry_file.format, out)
        finally:
            if temporary:
                os.remove(source)
        out.seek(0)
        target = entry_file.blind_file.field.generate_filename(entry_file, f"{uuid.uuid4().hex}{ext}")
        name = storage.save(target, File(out))
    if EntryFile.objects.filter(pk=entry_file.pk, blind_file="").update(blind_file=name):
        entry_file.blind_file.name = name
    else:
        storage.delete(name)
        entry_file.refresh_from_db(fields=["blind_file"])
    return entry_file.blind_file


def _local_path(entry_file: EntryFile) -> tuple[str, bool]:
    """A path to read the original from: the file itself, or a temporary copy when it lives in
    object storage."""
    try:
        return entry_file.file.path, False
    except NotImplementedError:
        handle = tempfile.NamedTemporaryFile(delete=False)
        with entry_file.file.open("rb") as source:
            shutil.copyfileobj(source, handle, 1024 * 1024)
        handle.close()
        return handle.name, True


def prepare_call(call_pk: int) -> int:
    """Make the missing blind copies of a call's assigned entries, so jurors never wait for
    them (a job, enqueued when staff assign the jury). Returns how many were made."""
    pending = EntryFile.objects.filter(entry__call_id=call_pk, entry__status=EntryStatus.SUBMITTED,
                                       entry__assignments__isnull=False, blind_file="").distinct()
    made = 0
    for entry_file in pending:
        blind_copy(entry_file)
        made += 1
    return made
