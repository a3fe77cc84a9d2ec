"""Where entrants' files live: a private storage that is never served by a public URL.

Files are read back only through permission-checked views (``contests.views.files``). On a
local disk they are readable by the server's own user only: files 0600, folders 0700."""

from django.core.files.storage import FileSystemStorage, storages

FILE_MODE = 0o600
DIRECTORY_MODE = 0o700


class PrivateFileSystemStorage(FileSystemStorage):
    """FileSystemStorage whose files and folders only their owner may read."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("file_permissions_mode", FILE_MODE)
        kwargs.setdefault("directory_permissions_mode", DIRECTORY_MODE)
        super().__init__(*args, **kwargs)


def private_storage():
    """The storage named ``contests`` in settings.STORAGES (a callable, so settings decide)."""
    return storages["contests"]
