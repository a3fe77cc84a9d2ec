"""Upload handling for entrants' files: straight to disk, hashed on the way.

Django's default handlers keep files under 2 MB in memory and then read the temporary
file again to hash it. This handler writes every file to FILE_UPLOAD_TEMP_DIR in chunks
and feeds the same chunks to SHA-256, so a 1 GB upload costs one pass and a few MB of
memory. Bytes past the category's limit are counted but not written."""

from __future__ import annotations

import contextlib
import hashlib
import os

from django.core.files.uploadedfile import TemporaryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile


class HashingTemporaryFileUploadHandler(FileUploadHandler):
    chunk_size = 1024 * 1024

    def __init__(self, request=None, *, max_bytes: int | None = None):
        super().__init__(request)
        self.max_bytes = max_bytes

    def new_file(self, field_name, *args, **kwargs):
        if field_name != "file":
            raise SkipFile  # one file per request: nothing else is written to disk
        super().new_file(field_name, *args, **kwargs)
        self.file = TemporaryUploadedFile(self.file_name, self.content_type, 0, self.charset,
                                          self.content_type_extra)
        self.digest = hashlib.sha256()
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.max_bytes is None or self.received <= self.max_bytes + self.chunk_size:
            self.file.write(raw_data)
            self.digest.update(raw_data)
        return None

    def file_complete(self, file_size):
        self.file.seek(0)
        self.file.size = self.received
        self.file.sha256 = self.digest.hexdigest()
        return self.file

    def upload_interrupted(self):
        self.discard()

    def discard(self):
        """Close and delete the temporary file, whether or not the upload completed."""
        if hasattr(self, "file"):
            temp_location = self.file.temporary_file_path()
            self.file.close()
            with contextlib.suppress(FileNotFoundError):
                os.remove(temp_location)
