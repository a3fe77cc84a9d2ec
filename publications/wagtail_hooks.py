"""Wagtail hooks of publications: each concern registers its own in ``publications.admin``."""

from .admin import booklets, files, magazine, stats, workflow  # noqa: F401
