"""The development e-mail backend: Django's file backend, with files only their owner reads.

Mails carry sign-in and confirmation links; on a shared machine other accounts must not
read them. The folder is created 0700 and each file 0600.
"""

from __future__ import annotations

import os

from django.core.mail.backends.filebased import EmailBackend


class PrivateFileEmailBackend(EmailBackend):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        os.chmod(self.file_path, 0o700)

    def open(self):
        if self.stream is None:
            old = os.umask(0o077)
            try:
                return super().open()
            finally:
                os.umask(old)
        return False
