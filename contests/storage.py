"""Where entrants' files live: a private storage that is never served by a public URL.

Files are read back only through permission-checked views (``contests.views.files``). On a
local disk they are readable by the server's own user only: files 0600, folders 0700,
whatever the settings say (Django's default for uploads is 0644)."""

from django.core.files.storage import FileSystemStorage, storages

FILE_MODE = 0o600
DIRECTORY_MODE = 0o700


def private_storage():
    """The storage named ``contests`` in settings.STORAGES (a callable, so settings decide)."""
    storage = storages["contests"]
    if isinstance(storage, FileSystemStorage):
        # Both are cached properties of FileSystemStorage: the instance value wins.
        storage.__dict__["file_permissions_mode"] = FILE_MODE
        storage.__dict__["directory_permissions_mode"] = DIRECTORY_MODE
    return storage
