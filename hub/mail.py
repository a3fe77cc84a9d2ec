"""Mail written to files when no SMTP server is configured (development and demos)."""

import os

from django.core.mail.backends.filebased import EmailBackend


class PrivateFileEmailBackend(EmailBackend):
    """Django's file backend, but each mail file is readable by its owner only (0600).

    Mails carry personal data and sign-in and confirmation links; the folder is 0700.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        os.chmod(self.file_path, 0o700)

    def open(self):
        if self.stream is None:
            descriptor = os.open(self._get_filename(), os.O_WRONLY | os.O_CREAT | os.O_APPEND,
                                 0o600)
            self.stream = os.fdopen(descriptor, "ab")
            return True
        return False
