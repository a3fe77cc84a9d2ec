"""Where entrants' files live: a private storage that is never served by a public URL.

Files are read back only through permission-checked views (``contests.views.files``)."""

from django.core.files.storage import storages


def private_storage():
    """The storage named ``contests`` in settings.STORAGES (a callable, so settings decide)."""
    return storages["contests"]
