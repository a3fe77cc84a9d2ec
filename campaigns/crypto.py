"""Channel credentials, encrypted at rest with keys from the environment.

``ENLACE_CREDENTIALS_KEYS`` holds one or more comma-separated keys (the first encrypts, all
decrypt, so keys can be rotated with ``manage.py rotate_credentials``). A key is any
passphrase; it is stretched to a Fernet key with SHA-256. Without the variable, development
and tests derive a key from SECRET_KEY; production refuses to start (see settings).
"""

from __future__ import annotations

import base64
import hashlib
import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class CredentialsUnreadable(Exception):
    """The stored credentials cannot be decrypted with the configured keys."""


def _fernet(passphrase: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(passphrase.encode()).digest()))


def _box() -> MultiFernet:
    keys = [k.strip() for k in settings.ENLACE_CREDENTIALS_KEYS if k.strip()]
    if not keys:
        keys = ["enlace-credentials:" + settings.SECRET_KEY]
    return MultiFernet([_fernet(k) for k in keys])


def seal(data: dict) -> str:
    return _box().encrypt(json.dumps(data, sort_keys=True).encode()).decode()


def unseal(token: str) -> dict:
    if not token:
        return {}
    try:
        return json.loads(_box().decrypt(token.encode()))
    except InvalidToken as exc:
        raise CredentialsUnreadable from exc


def reseal(token: str) -> str:
    """Re-encrypt with the newest key (key rotation)."""
    return _box().rotate(token.encode()).decode()
