"""Users as the HR Helper API shows them, with their outside-service credentials."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from hrhelper.domain.ats.credentials import HUNTFLOW_FIELDS, HuntflowCredentials, HuntflowStatus
from hrhelper.domain.errors import Conflict, InvalidInput, NotFound, NotPermitted
from hrhelper.domain.identity.model import (
    CandidateProfile,
    CredentialKind,
    HuntflowSystem,
    Role,
    User,
)
from hrhelper.domain.identity.policy import (
    check_new_password,
    normalize_email,
    normalize_username,
)
from hrhelper.ports.ats import SealedTokens
from hrhelper.ports.clock import Clock
from hrhelper.ports.identity import StoredCredential, UserQuery
from hrhelper.ports.persistence import UnitOfWork, UnitOfWorkFactory
from hrhelper.ports.security import PasswordHasher, SecretBox

__all__ = ["ADMIN_ONLY_FIELDS", "CredentialStatus", "UserChanges", "UserService", "UserView"]

ADMIN_ONLY_FIELDS = ("role", "is_active", "is_verified", "email", "username")
_SELF_FIELDS = ("first_name", "last_name", "huntflow_prod_url", "huntflow_sandbox_url")
_STAFF_ONLY = (
    *(kind.value for kind in CredentialKind),
    "huntflow_prod_url",
    "huntflow_sandbox_url",
    *HUNTFLOW_FIELDS,
)


@dataclass(frozen=True)
class CredentialStatus:
    is_set: bool
    masked: str = ""


@dataclass(frozen=True)
class UserView:
    user: User
    credentials: Mapping[CredentialKind, CredentialStatus]
    huntflow: HuntflowStatus = field(default_factory=HuntflowStatus)


@dataclass(frozen=True)
class UserChanges:
    """Only the fields present in ``values`` change; credentials set to "" are removed."""

    values: Mapping[str, object] = field(default_factory=dict)
    password: str | None = None


def _taken(field_name: str) -> Conflict:
    message = f"A user with this {field_name} already exists."
    return Conflict(message, {field_name: [message]})


async def _free_login(uow: UnitOfWork, user: User, field_name: str, value: str) -> str:
    """``value`` when no other user signs in with it (as an email or a username)."""
    other = await uow.users.get_by_email(value)
    if other is not None and other.pk != user.pk:
        raise _taken(field_name)
    return value


def _mask(secret: str) -> str:
    return "••••" + secret[-4:] if len(secret) >= 8 else "••••"


class UserService:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        hasher: PasswordHasher,
        box: SecretBox,
        clock: Clock,
    ) -> None:
        self._uow_factory = uow_factory
        self._hasher = hasher
        self._box = box
        self._clock = clock
        self._huntflow = HuntflowCredentials(box, clock)

    async def list(self, actor: User, query: UserQuery) -> tuple[int, Sequence[UserView]]:
        if not actor.role.is_staff:
            raise NotPermitted("Only HR and admins can list users.")
        async with self._uow_factory() as uow:
            count, users = await uow.users.list(query)
            stored = await uow.credentials.of([u.pk for u in users])
            tokens = await uow.huntflow_tokens.of([u.pk for u in users])
        return count, [self._view(u, stored.get(u.pk, {}), tokens.get(u.pk, {})) for u in users]

    async def get(self, actor: User, user_id: int) -> UserView:
        async with self._uow_factory() as uow:
            user = await self._visible(uow, actor, user_id)
            stored = await uow.credentials.of([user.pk])
            tokens = await uow.huntflow_tokens.of([user.pk])
        return self._view(user, stored.get(user.pk, {}), tokens.get(user.pk, {}))

    async def secret(self, user_id: int, kind: CredentialKind) -> str | None:
        """The clear text of a stored credential, for the adapters that call outside services."""
        async with self._uow_factory() as uow:
            stored = (await uow.credentials.of([user_id])).get(user_id, {}).get(kind)
        return self._box.open(stored.ciphertext) if stored else None

    async def create(self, actor: User, values: Mapping[str, object], password: str) -> UserView:
        if actor.role is not Role.ADMIN:
            raise NotPermitted("Only admins can create users.")
        check_new_password(password, None)
        email = normalize_email(str(values.get("email", "")))
        username = normalize_username(str(values.get("username") or email))
        password_hash = await self._hasher.hash(password)
        now = self._clock.now()
        async with self._uow_factory() as uow:
            if await uow.users.get_by_email(email):
                raise _taken("email")
            if username != email and await uow.users.get_by_email(username):
                raise _taken("username")
            user = await uow.users.add(
                User(
                    email=email,
                    username=username,
                    first_name=str(values.get("first_name", "")).strip(),
                    last_name=str(values.get("last_name", "")).strip(),
                    role=Role(str(values.get("role", Role.USER.value))),
                    is_active=bool(values.get("is_active", True)),
                    is_verified=bool(values.get("is_verified", False)),
                    password_hash=password_hash,
                    created_at=now,
                    updated_at=now,
                )
            )
            if user.role is Role.USER:
                await uow.profiles.add_candidate(CandidateProfile(user.pk, now, now))
            await self._store_credentials(uow, user, values)
            stored = await uow.credentials.of([user.pk])
            tokens = await uow.huntflow_tokens.of([user.pk])
            await uow.commit()
        return self._view(user, stored.get(user.pk, {}), tokens.get(user.pk, {}))

    async def create_superuser(
        self, email: str, password: str, first_name: str = "", last_name: str = ""
    ) -> User:
        """The first admin (the command line's ``createsuperuser``): verified, active."""
        address = normalize_email(email)
        check_new_password(password, None)
        password_hash = await self._hasher.hash(password)
        now = self._clock.now()
        async with self._uow_factory() as uow:
            if await uow.users.get_by_email(address):
                raise Conflict(f"A user with the email {address} already exists.")
            user = await uow.users.add(
                User(
                    email=address,
                    first_name=first_name,
                    last_name=last_name,
                    role=Role.ADMIN,
                    password_hash=password_hash,
                    is_verified=True,
                    created_at=now,
                    updated_at=now,
                )
            )
            await uow.commit()
        return user

    async def update(self, actor: User, user_id: int, changes: UserChanges) -> UserView:
        """Owners change their names and, for staff, their integration keys; admins anything.
        Asking for a field one may not change is refused, not silently dropped."""
        self._check_allowed(actor, user_id, changes)
        if changes.password:
            check_new_password(changes.password, None)
        password_hash = await self._hasher.hash(changes.password) if changes.password else None
        now = self._clock.now()
        async with self._uow_factory() as uow:
            user = await self._visible(uow, actor, user_id)
            await self._apply(uow, user, changes.values)
            if password_hash:
                user.password_hash = password_hash
                await uow.refresh_tokens.revoke_all(user.pk, now)
                await uow.sessions.end_all(user.pk)
            if user.role.is_staff or actor.role is Role.ADMIN:
                await self._store_credentials(uow, user, changes.values)
            user.updated_at = now
            if user.is_active is False:
                await uow.refresh_tokens.revoke_all(user.pk, now)
                await uow.sessions.end_all(user.pk)
            stored = await uow.credentials.of([user.pk])
            tokens = await uow.huntflow_tokens.of([user.pk])
            await uow.commit()
        return self._view(user, stored.get(user.pk, {}), tokens.get(user.pk, {}))

    async def delete(self, actor: User, user_id: int) -> None:
        if actor.role is not Role.ADMIN:
            raise NotPermitted("Only admins can delete users.")
        if actor.pk == user_id:
            raise Conflict("You cannot delete your own account.")
        async with self._uow_factory() as uow:
            user = await uow.users.get(user_id)
            if user is None:
                raise NotFound("User not found.")
            await uow.users.delete(user)
            await uow.commit()

    def _check_allowed(self, actor: User, user_id: int, changes: UserChanges) -> None:
        if actor.role is Role.ADMIN:
            return
        refused = [name for name in changes.values if name in ADMIN_ONLY_FIELDS]
        if not actor.role.is_staff:
            refused += [name for name in changes.values if name in _STAFF_ONLY]
        if changes.password is not None:
            refused.append("password")
        if refused:
            raise NotPermitted(
                "You cannot change these fields.",
                {name: ["You cannot change this field."] for name in sorted(set(refused))},
            )
        if actor.pk != user_id:
            raise NotFound("User not found.")

    async def _visible(self, uow: UnitOfWork, actor: User, user_id: int) -> User:
        """Staff see everyone; a candidate sees only themselves (others are 'not found')."""
        user = await uow.users.get(user_id)
        if user is None or (not actor.role.is_staff and actor.pk != user_id):
            raise NotFound("User not found.")
        return user

    async def _apply(self, uow: UnitOfWork, user: User, values: Mapping[str, object]) -> None:
        """Emails and usernames share one namespace: a sign-in name must find one account."""
        if "email" in values:
            email = normalize_email(str(values["email"]))
            user.email = await _free_login(uow, user, "email", email)
        if "username" in values:
            username = normalize_username(str(values["username"]))
            user.username = await _free_login(uow, user, "username", username)
        if "role" in values:
            try:
                user.role = Role(str(values["role"]))
            except ValueError as error:
                raise InvalidInput.for_fields({"role": ["Unknown role."]}) from error
        for name in _SELF_FIELDS:
            if name in values:
                setattr(user, name, str(values[name]).strip())
        for name in ("is_active", "is_verified"):
            if name in values:
                setattr(user, name, bool(values[name]))

    async def _store_credentials(
        self, uow: UnitOfWork, user: User, values: Mapping[str, object]
    ) -> None:
        await self._huntflow.apply(uow, user, values)
        for kind in CredentialKind:
            if kind.value not in values or kind is CredentialKind.HUNTFLOW_API_KEY:
                continue  # the active Huntflow system's access token, stored with its pair
            secret = str(values[kind.value] or "").strip()
            if not secret:
                await uow.credentials.remove(user.pk, kind)
                continue
            await uow.credentials.put(
                user.pk,
                StoredCredential(kind, self._box.seal(secret), _mask(secret), self._clock.now()),
            )

    @staticmethod
    def _view(
        user: User,
        stored: Mapping[CredentialKind, StoredCredential],
        tokens: Mapping[HuntflowSystem, SealedTokens],
    ) -> UserView:
        huntflow = HuntflowCredentials.status(user, tokens)
        credentials = {
            kind: CredentialStatus(True, stored[kind].tail)
            if kind in stored
            else CredentialStatus(False)
            for kind in CredentialKind
        }
        credentials[CredentialKind.HUNTFLOW_API_KEY] = CredentialStatus(
            huntflow.access_set, huntflow.access_masked
        )
        return UserView(user, credentials, huntflow)
