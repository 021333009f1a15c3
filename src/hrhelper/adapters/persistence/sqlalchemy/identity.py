"""SQL repositories of the identity area."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from hrhelper.adapters.persistence.sqlalchemy.search import contains
from hrhelper.adapters.persistence.sqlalchemy.tables import (
    candidate_profiles,
    hr_profiles,
    refresh_tokens,
    sessions,
    user_credentials,
    users,
)
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
    "SqlCredentialRepository",
    "SqlPrincipalDirectory",
    "SqlProfileRepository",
    "SqlRefreshTokenRepository",
    "SqlSessionRepository",
    "SqlUserRepository",
]


class SqlUserRepository(UserRepository):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, user: User) -> User:
        self._session.add(user)
        await self._session.flush()
        return user

    async def get(self, user_id: int) -> User | None:
        return await self._session.get(User, user_id)

    async def get_by_email(self, email: str) -> User | None:
        value = email.strip().lower()
        stmt = select(User).where(or_(users.c.email == value, users.c.username == value)).limit(1)
        return (await self._session.execute(stmt)).scalars().first()

    async def list(self, query: UserQuery) -> tuple[int, Sequence[User]]:
        conditions: list[ColumnElement[bool]] = []
        if query.search:
            conditions.append(
                or_(
                    *(
                        contains(column, query.search)
                        for column in (
                            users.c.first_name,
                            users.c.last_name,
                            users.c.email,
                            users.c.username,
                        )
                    )
                )
            )
        if query.role is not None:
            conditions.append(users.c.role == query.role)
        if query.is_active is not None:
            conditions.append(users.c.is_active == query.is_active)
        where = and_(True, *conditions)
        count = await self._session.scalar(select(func.count()).select_from(users).where(where))
        stmt = (
            select(User).where(where).order_by(users.c.id).offset(query.offset).limit(query.limit)
        )
        return int(count or 0), list((await self._session.execute(stmt)).scalars())

    async def names(self, user_ids: Sequence[int]) -> dict[int, str]:
        if not user_ids:
            return {}
        stmt = select(users.c.id, users.c.first_name, users.c.last_name, users.c.email).where(
            users.c.id.in_(set(user_ids))
        )
        rows = (await self._session.execute(stmt)).all()
        return {r.id: f"{r.first_name} {r.last_name}".strip() or r.email for r in rows}

    async def delete(self, user: User) -> None:
        await self._session.delete(user)
        await self._session.flush()


_USER_FIELDS = tuple(c.name for c in users.c)


class SqlPrincipalDirectory(PrincipalDirectory):
    """One autocommit SELECT per request (no BEGIN/ROLLBACK, no ORM session): this runs for
    every authenticated call, so it is kept to a single round trip."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def _one(self, stmt: Any) -> User | None:
        async with self._engine.connect() as connection:
            autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
            row = (await autocommit.execute(stmt)).first()
        return User(**{name: getattr(row, name) for name in _USER_FIELDS}) if row else None

    async def active_user(self, user_id: int) -> User | None:
        return await self._one(select(users).where(users.c.id == user_id, users.c.is_active))

    async def session_user(self, digest: str, now: datetime) -> User | None:
        stmt = (
            select(users)
            .join(sessions, sessions.c.user_id == users.c.id)
            .where(sessions.c.digest == digest, sessions.c.expires_at > now, users.c.is_active)
        )
        return await self._one(stmt)


class SqlProfileRepository(ProfileRepository):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add_candidate(self, profile: CandidateProfile) -> CandidateProfile:
        self._session.add(profile)
        await self._session.flush()
        return profile

    async def candidate_of(self, user_id: int) -> CandidateProfile | None:
        stmt = select(CandidateProfile).where(candidate_profiles.c.user_id == user_id)
        return (await self._session.execute(stmt)).scalars().first()

    async def add_hr(self, profile: HrProfile) -> HrProfile:
        self._session.add(profile)
        await self._session.flush()
        return profile

    async def hr(self, profile_id: int) -> HrProfile | None:
        return await self._session.get(HrProfile, profile_id)

    async def hr_of(self, user_id: int) -> HrProfile | None:
        stmt = select(HrProfile).where(hr_profiles.c.user_id == user_id)
        return (await self._session.execute(stmt)).scalars().first()

    async def list_hr(
        self, offset: int, limit: int
    ) -> tuple[int, Sequence[tuple[HrProfile, User]]]:
        count = await self._session.scalar(select(func.count()).select_from(hr_profiles))
        stmt = (
            select(HrProfile, User)
            .join(users, users.c.id == hr_profiles.c.user_id)
            .order_by(hr_profiles.c.id.desc())
            .offset(offset)
            .limit(limit)
        )
        rows = (await self._session.execute(stmt)).all()
        return int(count or 0), [(profile, user) for profile, user in rows]

    async def delete_hr(self, profile: HrProfile) -> None:
        await self._session.delete(profile)
        await self._session.flush()


class SqlCredentialRepository(CredentialRepository):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def put(self, user_id: int, credential: StoredCredential) -> None:
        await self.remove(user_id, credential.kind)
        await self._session.execute(
            insert(user_credentials).values(
                user_id=user_id,
                kind=credential.kind,
                ciphertext=credential.ciphertext,
                tail=credential.tail,
                updated_at=credential.updated_at,
            )
        )

    async def remove(self, user_id: int, kind: CredentialKind) -> None:
        await self._session.execute(
            delete(user_credentials).where(
                user_credentials.c.user_id == user_id, user_credentials.c.kind == kind
            )
        )

    async def of(
        self, user_ids: Sequence[int]
    ) -> dict[int, dict[CredentialKind, StoredCredential]]:
        if not user_ids:
            return {}
        stmt = select(user_credentials).where(user_credentials.c.user_id.in_(set(user_ids)))
        found: dict[int, dict[CredentialKind, StoredCredential]] = {}
        for row in (await self._session.execute(stmt)).all():
            kind = CredentialKind(row.kind)
            found.setdefault(row.user_id, {})[kind] = StoredCredential(
                kind, row.ciphertext, row.tail, row.updated_at
            )
        return found


class SqlRefreshTokenRepository(RefreshTokenRepository):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, jti: str, user_id: int, expires_at: datetime) -> None:
        await self._session.execute(
            insert(refresh_tokens).values(jti=jti, user_id=user_id, expires_at=expires_at)
        )

    async def revoke(self, jti: str, at: datetime) -> bool:
        result = await self._session.execute(
            update(refresh_tokens)
            .where(
                refresh_tokens.c.jti == jti,
                refresh_tokens.c.revoked_at.is_(None),
                refresh_tokens.c.expires_at > at,
            )
            .values(revoked_at=at)
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    async def revoke_all(self, user_id: int, at: datetime) -> int:
        result = await self._session.execute(
            update(refresh_tokens)
            .where(refresh_tokens.c.user_id == user_id, refresh_tokens.c.revoked_at.is_(None))
            .values(revoked_at=at)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]


class SqlSessionRepository(SessionRepository):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, digest: str, user_id: int, expires_at: datetime) -> None:
        await self._session.execute(
            insert(sessions).values(digest=digest, user_id=user_id, expires_at=expires_at)
        )

    async def user_of(self, digest: str, now: datetime) -> int | None:
        stmt = select(sessions.c.user_id).where(
            sessions.c.digest == digest, sessions.c.expires_at > now
        )
        return await self._session.scalar(stmt)

    async def end(self, digest: str) -> None:
        await self._session.execute(delete(sessions).where(sessions.c.digest == digest))

    async def end_all(self, user_id: int) -> None:
        await self._session.execute(delete(sessions).where(sessions.c.user_id == user_id))
