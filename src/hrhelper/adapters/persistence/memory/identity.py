"""In-memory identity repositories over the tables of a MemoryUnitOfWork."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from hrhelper.domain.identity.model import CandidateProfile, CredentialKind, HrProfile, User
from hrhelper.ports.identity import (
    CredentialRepository,
    PrincipalDirectory,
    ProfileRepository,
    RefreshTokenRepository,
    SessionRepository,
    StoredCredential,
    UserQuery,
    UserRepository,
)

__all__ = [
    "MemoryCredentialRepository",
    "MemoryPrincipalDirectory",
    "MemoryProfileRepository",
    "MemoryRefreshTokenRepository",
    "MemorySessionRepository",
    "MemoryUserRepository",
    "TokenRow",
]


def next_id(tables: dict[str, Any], name: str) -> int:
    sequences: dict[str, int] = tables["sequences"]
    sequences[name] = sequences.get(name, 0) + 1
    return sequences[name]


class MemoryUserRepository(UserRepository):
    def __init__(self, tables: dict[str, Any]) -> None:
        self._tables = tables
        self._rows: dict[int, User] = tables["users"]

    async def add(self, user: User) -> User:
        user.id = next_id(self._tables, "users")
        self._rows[user.id] = user
        return user

    async def get(self, user_id: int) -> User | None:
        return self._rows.get(user_id)

    async def get_by_email(self, email: str) -> User | None:
        value = email.strip().lower()
        return next((u for u in self._rows.values() if value in (u.email, u.username)), None)

    async def list(self, query: UserQuery) -> tuple[int, Sequence[User]]:
        term = query.search.strip().lower()
        found = [
            u
            for u in sorted(self._rows.values(), key=lambda u: u.pk)
            if (
                not term
                or any(term in f.lower() for f in (u.first_name, u.last_name, u.email, u.username))
            )
            and (query.role is None or u.role is query.role)
            and (query.is_active is None or u.is_active is query.is_active)
        ]
        return len(found), found[query.offset : query.offset + query.limit]

    async def names(self, user_ids: Sequence[int]) -> dict[int, str]:
        return {i: self._rows[i].display_name for i in set(user_ids) if i in self._rows}

    async def delete(self, user: User) -> None:
        self._rows.pop(user.pk, None)
        # the database cascades: profiles, credentials, tokens and sessions go with the user
        for table in ("candidate_profiles", "hr_profiles"):
            rows = self._tables[table]
            for key in [k for k, p in rows.items() if p.user_id == user.pk]:
                del rows[key]
        for table in ("credentials", "refresh_tokens", "sessions"):
            rows = self._tables[table]
            for key in [k for k, r in rows.items() if _owner(k, r) == user.pk]:
                del rows[key]
        for profile in self._tables["hr_profiles"].values():
            if profile.created_by == user.pk:
                profile.created_by = None


def _owner(key: Any, row: Any) -> int:
    return int(key[0]) if isinstance(key, tuple) else int(row.user_id)


class MemoryProfileRepository(ProfileRepository):
    def __init__(self, tables: dict[str, Any]) -> None:
        self._tables = tables
        self._candidates: dict[int, CandidateProfile] = tables["candidate_profiles"]
        self._hr: dict[int, HrProfile] = tables["hr_profiles"]

    async def add_candidate(self, profile: CandidateProfile) -> CandidateProfile:
        profile.id = next_id(self._tables, "candidate_profiles")
        self._candidates[profile.id] = profile
        return profile

    async def candidate_of(self, user_id: int) -> CandidateProfile | None:
        return next((p for p in self._candidates.values() if p.user_id == user_id), None)

    async def add_hr(self, profile: HrProfile) -> HrProfile:
        profile.id = next_id(self._tables, "hr_profiles")
        self._hr[profile.id] = profile
        return profile

    async def hr(self, profile_id: int) -> HrProfile | None:
        return self._hr.get(profile_id)

    async def hr_of(self, user_id: int) -> HrProfile | None:
        return next((p for p in self._hr.values() if p.user_id == user_id), None)

    async def list_hr(
        self, offset: int, limit: int
    ) -> tuple[int, Sequence[tuple[HrProfile, User]]]:
        users: dict[int, User] = self._tables["users"]
        rows = [
            (p, users[p.user_id]) for p in sorted(self._hr.values(), key=lambda p: -(p.id or 0))
        ]
        return len(rows), rows[offset : offset + limit]

    async def delete_hr(self, profile: HrProfile) -> None:
        if profile.id is not None:
            self._hr.pop(profile.id, None)


class MemoryCredentialRepository(CredentialRepository):
    def __init__(self, tables: dict[str, Any]) -> None:
        self._rows: dict[tuple[int, CredentialKind], StoredCredential] = tables["credentials"]

    async def put(self, user_id: int, credential: StoredCredential) -> None:
        self._rows[(user_id, credential.kind)] = credential

    async def remove(self, user_id: int, kind: CredentialKind) -> None:
        self._rows.pop((user_id, kind), None)

    async def of(
        self, user_ids: Sequence[int]
    ) -> dict[int, dict[CredentialKind, StoredCredential]]:
        wanted = set(user_ids)
        found: dict[int, dict[CredentialKind, StoredCredential]] = {}
        for (user_id, kind), credential in self._rows.items():
            if user_id in wanted:
                found.setdefault(user_id, {})[kind] = credential
        return found


@dataclass
class TokenRow:
    user_id: int
    expires_at: datetime
    revoked_at: datetime | None = None


class MemoryRefreshTokenRepository(RefreshTokenRepository):
    def __init__(self, tables: dict[str, Any]) -> None:
        self._rows: dict[str, TokenRow] = tables["refresh_tokens"]

    async def add(self, jti: str, user_id: int, expires_at: datetime) -> None:
        self._rows[jti] = TokenRow(user_id, expires_at)

    async def revoke(self, jti: str, at: datetime) -> bool:
        row = self._rows.get(jti)
        if row is None or row.revoked_at is not None or row.expires_at <= at:
            return False
        row.revoked_at = at
        return True

    async def revoke_all(self, user_id: int, at: datetime) -> int:
        live = [r for r in self._rows.values() if r.user_id == user_id and r.revoked_at is None]
        for row in live:
            row.revoked_at = at
        return len(live)


class MemorySessionRepository(SessionRepository):
    def __init__(self, tables: dict[str, Any]) -> None:
        self._rows: dict[str, TokenRow] = tables["sessions"]

    async def add(self, digest: str, user_id: int, expires_at: datetime) -> None:
        self._rows[digest] = TokenRow(user_id, expires_at)

    async def user_of(self, digest: str, now: datetime) -> int | None:
        row = self._rows.get(digest)
        return row.user_id if row is not None and row.expires_at > now else None

    async def end(self, digest: str) -> None:
        self._rows.pop(digest, None)

    async def end_all(self, user_id: int) -> None:
        for digest in [d for d, r in self._rows.items() if r.user_id == user_id]:
            del self._rows[digest]


class MemoryPrincipalDirectory(PrincipalDirectory):
    """Reads the committed state of a MemoryStore (any object with ``users`` and
    ``sessions`` tables)."""

    def __init__(self, store: Any) -> None:
        self._store = store

    async def active_user(self, user_id: int) -> User | None:
        user: User | None = self._store.users.get(user_id)
        return dataclasses.replace(user) if user is not None and user.is_active else None

    async def session_user(self, digest: str, now: datetime) -> User | None:
        row = self._store.sessions.get(digest)
        if row is None or row.expires_at <= now:
            return None
        return await self.active_user(row.user_id)
