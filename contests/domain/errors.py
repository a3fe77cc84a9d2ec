"""The one error the contests domain raises."""

from __future__ import annotations


class ContestError(Exception):
    """A refusal a person should read (in Spanish): nothing was changed.

    ``code`` names the reason for code that must tell refusals apart (``closed``, ``incomplete``,
    ``rate_limited``...); ``message`` is what the person reads."""

    def __init__(self, message: str, *, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return str(self.message)
