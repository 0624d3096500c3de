"""Secrets kept in the database (TOTP seeds, later provider secrets) are encrypted with
Fernet (``cryptography``): AES-128-CBC with an HMAC, keyed from the environment.

``STRATEGYHUB_ENCRYPTION_KEYS`` lists Fernet keys, newest first: the first encrypts, all
decrypt (MultiFernet), so a key is rotated by putting a new one in front. Unset, one key is
derived from ``SECRET_KEY`` (HKDF-SHA256): that works out of the box, but rotating
``SECRET_KEY`` would then make the stored secrets unreadable, so production sets its own.
"""

from __future__ import annotations

import base64
from functools import cache

from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


@cache
def _fernet(keys: tuple[str, ...], secret_key: str) -> MultiFernet:
    if keys:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"strategyhub.encryption"
    ).derive(secret_key.encode())
    return MultiFernet([Fernet(base64.urlsafe_b64encode(derived))])


def _current() -> MultiFernet:
    return _fernet(tuple(settings.STRATEGYHUB_ENCRYPTION_KEYS), settings.SECRET_KEY)


def encrypt(text: str) -> str:
    return _current().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    return _current().decrypt(token.encode()).decode()
