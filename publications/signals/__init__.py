"""Signal handlers of publications, one module per concern; connected in ``apps.ready``."""

from . import booklets, files, magazine, stats, workflow  # noqa: F401
