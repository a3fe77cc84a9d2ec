"""Test profile: fast hashing, in-memory mail, temporary media."""

import os
import tempfile
from pathlib import Path

from hub.env import env_int

from .base import *  # noqa: F403
from .base import CACHES, CELERY_BROKER_URL, DATABASES, PRIVATE_FILE_PERMISSIONS

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="enlace-test-media-"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "contests": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                 "OPTIONS": {"location": str(MEDIA_ROOT / "private"), "base_url": None,
                             **PRIVATE_FILE_PERMISSIONS}},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_ENABLED = True
FILE_UPLOAD_TEMP_DIR = str(MEDIA_ROOT / "uploads")
Path(FILE_UPLOAD_TEMP_DIR).mkdir()
WAGTAILADMIN_BASE_URL = "http://testserver"

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not :memory:, so a Celery worker process started by a test can share it.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"enlace-test-{os.getpid()}.sqlite3")
    }
    # A test database is thrown away: its commits need not wait for the disk.
    DATABASES["default"]["OPTIONS"]["init_command"] += " PRAGMA synchronous=OFF;"

if CELERY_BROKER_URL.startswith("filesystem://"):
    # A broker folder of this test run only, shared with the worker a test starts.
    TEST_BROKER_FOLDER = Path(tempfile.mkdtemp(prefix="enlace-test-broker-"))
    for _folder in ("queue", "control"):
        (TEST_BROKER_FOLDER / _folder).mkdir()
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(TEST_BROKER_FOLDER / "queue"),
        "data_folder_out": str(TEST_BROKER_FOLDER / "queue"),
        "control_folder": str(TEST_BROKER_FOLDER / "control"),
        "store_processed": False,
        "polling_interval": 0.1,
    }

# The page cache is off unless a test turns it on (tests/hub/test_pagecache.py) or the run
# asks for it (ENLACE_PAGE_CACHE_SECONDS=600); its files live in this run's own folder.
ENLACE_PAGE_CACHE_SECONDS = env_int("ENLACE_PAGE_CACHE_SECONDS", 0)
if CACHES["pagecache"]["BACKEND"].endswith("FileBasedCache"):
    CACHES["pagecache"]["LOCATION"] = str(MEDIA_ROOT / "pagecache")

# The feed tests serve RSS and Atom from a local http.server on 127.0.0.1.
ENLACE_FEEDS_ALLOW_PRIVATE = True
