"""Storage the identity area needs (all transactional, inside a unit of work)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from hrhelper.domain.identity.model import CandidateProfile, CredentialKind, HrProfile, Role, User

__all__ = [
    "CredentialRepository",
    "PrincipalDirectory",
    "ProfileRepository",
    "RefreshTokenRepository",
    "SessionRepository",
    "StoredCredential",
    "UserQuery",
    "UserRepository",
]


@dataclass(frozen=True)
class UserQuery:
    search: str = ""
    role: Role | None = None
    is_active: bool | None = None
    offset: int = 0
    limit: int = 20


class UserRepository(Protocol):
    async def add(self, user: User) -> User:
        """Store a new user and give it its id."""
        ...

    async def get(self, user_id: int) -> User | None:
        """The user; changes to the returned object are saved on commit."""
        ...

    async def get_by_email(self, email: str) -> User | None:
        """By email or username, case-insensitive."""
        ...

    async def list(self, query: UserQuery) -> tuple[int, Sequence[User]]:
        """Total matching and one page of users, ordered by id."""
        ...

    async def names(self, user_ids: Sequence[int]) -> dict[int, str]:
        """Display names of many users in one query."""
        ...

    async def delete(self, user: User) -> None: ...


class ProfileRepository(Protocol):
    async def add_candidate(self, profile: CandidateProfile) -> CandidateProfile: ...

    async def candidate_of(self, user_id: int) -> CandidateProfile | None: ...

    async def add_hr(self, profile: HrProfile) -> HrProfile: ...

    async def hr(self, profile_id: int) -> HrProfile | None: ...

    async def hr_of(self, user_id: int) -> HrProfile | None: ...

    async def list_hr(
        self, offset: int, limit: int
    ) -> tuple[int, Sequence[tuple[HrProfile, User]]]:
        """HR profiles with their users, newest first."""
        ...

    async def delete_hr(self, profile: HrProfile) -> None: ...


@dataclass(frozen=True)
class StoredCredential:
    kind: CredentialKind
    ciphertext: str
    tail: str
    updated_at: datetime


class CredentialRepository(Protocol):
    async def put(self, user_id: int, credential: StoredCredential) -> None:
        """Create or replace the user's credential of that kind."""
        ...

    async def remove(self, user_id: int, kind: CredentialKind) -> None: ...

    async def of(
        self, user_ids: Sequence[int]
    ) -> dict[int, dict[CredentialKind, StoredCredential]]:
        """Credentials of many users in one query."""
        ...


class RefreshTokenRepository(Protocol):
    """Issued refresh tokens by id: rotation revokes the old one; reuse is detectable."""

    async def add(self, jti: str, user_id: int, expires_at: datetime) -> None: ...

    async def revoke(self, jti: str, at: datetime) -> bool:
        """Revoke a live token; False when it was unknown, already revoked or expired."""
        ...

    async def revoke_all(self, user_id: int, at: datetime) -> int: ...


class SessionRepository(Protocol):
    """Browser sessions by the SHA-256 of their cookie value."""

    async def add(self, digest: str, user_id: int, expires_at: datetime) -> None: ...

    async def user_of(self, digest: str, now: datetime) -> int | None: ...

    async def end(self, digest: str) -> None: ...

    async def end_all(self, user_id: int) -> None: ...


class PrincipalDirectory(Protocol):
    """The lookup every authenticated request makes: read-only, outside any unit of work,
    so it must be one cheap query."""

    async def active_user(self, user_id: int) -> User | None: ...

    async def session_user(self, digest: str, now: datetime) -> User | None:
        """The active user of a live session."""
        ...
