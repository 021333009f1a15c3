from __future__ import annotations

import base64
import hashlib
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from hrhelper.ports.security import SecretBox

__all__ = ["AesGcmSecretBox", "SecretUnreadable"]

_PREFIX = "v1:"


class SecretUnreadable(ValueError):
    """The ciphertext was not made with this key (key rotated) or was tampered with."""


class AesGcmSecretBox(SecretBox):
    """AES-256-GCM with a random 96-bit nonce per secret; the key is derived from the
    configured key material, so a rotated SECRET_KEY must come with ENCRYPTION_KEY kept."""

    def __init__(self, key_material: str) -> None:
        key = hashlib.sha256(("hrhelper-secret-box:" + key_material).encode()).digest()
        self._aead = AESGCM(key)

    def seal(self, plaintext: str) -> str:
        nonce = os.urandom(12)
        sealed = self._aead.encrypt(nonce, plaintext.encode(), _PREFIX.encode())
        return _PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode()

    def open(self, ciphertext: str) -> str:
        if not ciphertext.startswith(_PREFIX):
            raise SecretUnreadable("unknown secret format")
        raw = base64.urlsafe_b64decode(ciphertext[len(_PREFIX) :].encode())
        try:
            return self._aead.decrypt(raw[:12], raw[12:], _PREFIX.encode()).decode()
        except InvalidTag as error:
            raise SecretUnreadable("the secret cannot be decrypted with this key") from error
