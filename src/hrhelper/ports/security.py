"""Security services the domain calls: hashing, signing, encryption, limits, identities."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

__all__ = [
    "AccessClaims",
    "ExternalIdentity",
    "FileStorage",
    "GoogleIdentityVerifier",
    "PasswordHasher",
    "RateLimiter",
    "SecretBox",
    "StoredFile",
    "TokenSigner",
]


class PasswordHasher(Protocol):
    """Slow by design: implementations run off the event loop and may raise ServiceBusy."""

    async def hash(self, password: str) -> str: ...

    async def verify(self, password_hash: str, password: str) -> bool: ...

    async def verify_dummy(self, password: str) -> None:
        """Spend the time of a verification (answers for unknown users take as long)."""
        ...


@dataclass(frozen=True)
class AccessClaims:
    user_id: int
    token_type: str
    jti: str
    expires_at: datetime
    stamp: str = ""
    """What the user's credentials were when the token was issued (see TokenService)."""


class TokenSigner(Protocol):
    def sign(
        self,
        user_id: int,
        token_type: str,
        jti: str,
        lifetime_s: int,
        now: datetime,
        stamp: str = "",
    ) -> str: ...

    def verify(self, token: str, token_type: str, now: datetime) -> AccessClaims | None:
        """Claims of a valid, unexpired token of that type; None for anything else."""
        ...


class SecretBox(Protocol):
    """Authenticated encryption of secrets at rest."""

    def seal(self, plaintext: str) -> str: ...

    def open(self, ciphertext: str) -> str: ...


class RateLimiter(Protocol):
    async def hit(self, key: str, limit: int, window_s: int) -> int:
        """Count one attempt; the seconds to wait when over the limit, else 0."""
        ...


@dataclass(frozen=True)
class ExternalIdentity:
    subject: str
    email: str
    email_verified: bool
    first_name: str
    last_name: str


class GoogleIdentityVerifier(Protocol):
    async def verify(self, id_token: str) -> ExternalIdentity:
        """Check signature, issuer, audience and expiry; raise Unauthenticated if any fails."""
        ...


@dataclass(frozen=True)
class StoredFile:
    """An opened stored file: its size and its bytes, read chunk by chunk when iterated."""

    size: int
    chunks: AsyncIterator[bytes]


class FileStorage(Protocol):
    async def save(self, key: str, content: bytes, content_type: str) -> None: ...

    async def delete(self, key: str) -> None: ...

    async def open(self, key: str) -> StoredFile | None:
        """The file to stream, or None when there is none under ``key``."""
        ...

    def url_for(self, key: str) -> str: ...
