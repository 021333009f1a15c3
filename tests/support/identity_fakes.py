"""Fakes and a ready-made system for the identity domain tests: state to assert on, no mocks.

``create_identity_system`` wires the identity services the way the container does, but on the
memory unit of work, a FakeClock, a fast hasher and the real JWT, AES-GCM and rate-limit
adapters.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import re
import secrets
import threading
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import TypeVar
from urllib.parse import parse_qs, urlsplit

from hrhelper.adapters.cache.memory import MemoryCache
from hrhelper.adapters.persistence.memory import MemoryStore, MemoryUnitOfWork
from hrhelper.adapters.persistence.memory.identity import MemoryPrincipalDirectory
from hrhelper.adapters.security.jwt_signer import JwtSigner
from hrhelper.adapters.security.rate_limiter import FixedWindowRateLimiter
from hrhelper.adapters.security.secret_box import AesGcmSecretBox
from hrhelper.container import _LINK_LIFETIMES
from hrhelper.domain.errors import Unauthenticated
from hrhelper.domain.identity.auth import AuthService, Limits, Registration
from hrhelper.domain.identity.hr import HrService
from hrhelper.domain.identity.mails import LinkBuilder
from hrhelper.domain.identity.model import Role, User
from hrhelper.domain.identity.one_time import OneTimeLinks
from hrhelper.domain.identity.profiles import ProfileService
from hrhelper.domain.identity.tokens import TokenService
from hrhelper.domain.identity.users import UserService
from hrhelper.domain.mail.outbox import MailOutbox, OutgoingMail
from hrhelper.ports.security import ExternalIdentity, PasswordHasher, StoredFile
from tests.support.fakes import FakeClock, RecordingJobQueue

__all__ = [
    "LINK_LIFETIMES",
    "PASSWORD",
    "PUBLIC_URL",
    "FakeGoogle",
    "IdentitySystem",
    "MemoryFileStorage",
    "Sha256PasswordHasher",
    "ThreadRunner",
    "create_identity_system",
    "create_registration",
    "link_of",
]

PUBLIC_URL = "https://hr.example.test/"
SECRET_KEY = "test-secret-key-0123456789-abcdefghijklmnop"
PASSWORD = "Passw0rd-for-tests"
LINK_LIFETIMES = dict(_LINK_LIFETIMES)
"""The lifetimes the container gives one-time links, so expiry tests follow production."""

GENEROUS = Limits(
    login_per_ip=(10_000, 60),
    login_per_account=(10_000, 60),
    register_per_ip=(10_000, 60),
    reset_per_ip=(10_000, 60),
    reset_per_account=(10_000, 60),
    set_password_per_ip=(10_000, 60),
)
"""Limits no test reaches unless it is about rate limiting."""


class Sha256PasswordHasher:
    """A fast, salted stand-in for argon2 with the same contract."""

    def __init__(self) -> None:
        self.verifications = 0

    async def hash(self, password: str) -> str:
        salt = secrets.token_hex(8)
        return f"sha256${salt}${hashlib.sha256((salt + password).encode()).hexdigest()}"

    async def verify(self, password_hash: str, password: str) -> bool:
        self.verifications += 1
        scheme, _, rest = password_hash.partition("$")
        salt, _, digest = rest.partition("$")
        if scheme != "sha256" or not digest:
            return False
        expected = hashlib.sha256((salt + password).encode()).hexdigest()
        return hmac.compare_digest(expected, digest)

    async def verify_dummy(self, password: str) -> None:
        self.verifications += 1


T = TypeVar("T")


@dataclass
class ThreadRunner:
    """Runs blocking work in a worker thread, like BlockingPool, and records what ran where."""

    calls: list[tuple[str, bool]] = field(default_factory=list)
    """``(function name, ran off the calling thread)`` per call."""

    async def run(self, fn: Callable[..., T], *args: object) -> T:
        caller = threading.get_ident()

        def call() -> T:
            self.calls.append((fn.__name__, threading.get_ident() != caller))
            return fn(*args)

        return await asyncio.to_thread(call)


@dataclass
class FakeGoogle:
    """Knows a few ID tokens; any other token is refused like a bad signature would be."""

    identities: dict[str, ExternalIdentity] = field(default_factory=dict)

    async def verify(self, id_token: str) -> ExternalIdentity:
        identity = self.identities.get(id_token)
        if identity is None:
            raise Unauthenticated("The Google token is invalid.")
        return identity


@dataclass
class MemoryFileStorage:
    files: dict[str, tuple[bytes, str]] = field(default_factory=dict)

    async def save(self, key: str, content: bytes, content_type: str) -> None:
        self.files[key] = (content, content_type)

    async def delete(self, key: str) -> None:
        self.files.pop(key, None)

    async def open(self, key: str) -> StoredFile | None:
        if key not in self.files:
            return None
        content = self.files[key][0]

        async def chunks() -> AsyncIterator[bytes]:
            for start in range(0, len(content), 1000):
                yield content[start : start + 1000]

        return StoredFile(len(content), chunks())

    def url_for(self, key: str) -> str:
        return f"https://files.example.test/{key}"


@dataclass
class IdentitySystem:
    store: MemoryStore
    clock: FakeClock
    jobs: RecordingJobQueue
    hasher: PasswordHasher
    signer: JwtSigner
    box: AesGcmSecretBox
    links: OneTimeLinks
    tokens: TokenService
    google: FakeGoogle
    files: MemoryFileStorage
    runner: ThreadRunner
    auth: AuthService
    hr: HrService
    users: UserService
    profiles: ProfileService

    def uow(self) -> MemoryUnitOfWork:
        return MemoryUnitOfWork(self.store)

    def mails_to(self, address: str) -> list[OutgoingMail]:
        return sorted(
            (m for m in self.store.outbox.values() if m.to == address),
            key=lambda m: m.created_at,
        )

    def last_link_to(self, address: str) -> tuple[str, str, str]:
        """``(path, uid, token)`` of the link in the newest mail to the address."""
        mails = self.mails_to(address)
        assert mails, f"no mail to {address}"
        return link_of(mails[-1])

    def user(self, user_id: int) -> User:
        return self.store.users[user_id]

    def by_email(self, email: str) -> User:
        return next(u for u in self.store.users.values() if u.email == email)

    async def create_user(
        self,
        email: str = "ann@example.com",
        role: Role = Role.USER,
        password: str | None = PASSWORD,
        *,
        first_name: str = "Ann",
        last_name: str = "Lee",
        is_active: bool = True,
        is_verified: bool = True,
    ) -> User:
        """A user straight in the store (the services are what the tests look at)."""
        now = self.clock.now()
        async with self.uow() as uow:
            user = await uow.users.add(
                User(
                    email=email,
                    first_name=first_name,
                    last_name=last_name,
                    role=role,
                    password_hash=await self.hasher.hash(password) if password else None,
                    is_active=is_active,
                    is_verified=is_verified,
                    created_at=now,
                    updated_at=now,
                )
            )
            await uow.commit()
        return self.user(user.pk)


_LINK = re.compile(r"https?://\S+")


def link_of(mail: OutgoingMail) -> tuple[str, str, str]:
    """``(path, uid, token)`` of the one link in a mail body."""
    found = _LINK.findall(mail.body)
    assert len(found) == 1, mail.body
    parts = urlsplit(found[0])
    query = parse_qs(parts.query)
    return parts.path, query["uid"][0], query["token"][0]


def create_registration(
    email: str = "ann@example.com",
    password: str = PASSWORD,
    confirm: str | None = None,
    first_name: str = " Анна ",
    last_name: str = "Ли",
) -> Registration:
    return Registration(
        email=email,
        first_name=first_name,
        last_name=last_name,
        password=password,
        password_confirm=password if confirm is None else confirm,
    )


def create_identity_system(
    limits: Limits = GENEROUS, hasher: PasswordHasher | None = None
) -> IdentitySystem:
    store, clock, jobs = MemoryStore(), FakeClock(), RecordingJobQueue()
    hasher = hasher or Sha256PasswordHasher()
    signer = JwtSigner(SECRET_KEY)
    box = AesGcmSecretBox("encryption-key-for-tests")
    links = OneTimeLinks(SECRET_KEY, LINK_LIFETIMES)
    tokens = TokenService(signer)
    google, files, runner = FakeGoogle(), MemoryFileStorage(), ThreadRunner()
    outbox = MailOutbox(jobs, clock)
    link_builder = LinkBuilder(PUBLIC_URL)

    def uow_factory() -> MemoryUnitOfWork:
        return MemoryUnitOfWork(store)

    auth = AuthService(
        uow_factory,
        hasher,
        tokens,
        links,
        link_builder,
        outbox,
        FixedWindowRateLimiter(MemoryCache()),
        clock,
        google,
        MemoryPrincipalDirectory(store),
        limits,
    )
    return IdentitySystem(
        store=store,
        clock=clock,
        jobs=jobs,
        hasher=hasher,
        signer=signer,
        box=box,
        links=links,
        tokens=tokens,
        google=google,
        files=files,
        runner=runner,
        auth=auth,
        hr=HrService(uow_factory, links, link_builder, outbox, clock),
        users=UserService(uow_factory, hasher, box, clock),
        profiles=ProfileService(uow_factory, files, clock, runner),
    )
