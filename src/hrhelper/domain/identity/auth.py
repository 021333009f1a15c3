"""Sign-up, sign-in and the account links: the use cases of authentication."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from hrhelper.domain.errors import Conflict, InvalidInput, RateLimited, Unauthenticated
from hrhelper.domain.identity.mails import LinkBuilder, reset_mail, verification_mail
from hrhelper.domain.identity.model import AuthType, CandidateProfile, Role, User
from hrhelper.domain.identity.one_time import LinkPurpose, OneTimeLinks, decode_uid
from hrhelper.domain.identity.policy import check_new_password, normalize_email
from hrhelper.domain.identity.tokens import TokenPair, TokenService
from hrhelper.domain.mail.outbox import MailOutbox
from hrhelper.ports.clock import Clock
from hrhelper.ports.identity import PrincipalDirectory
from hrhelper.ports.persistence import UnitOfWork, UnitOfWorkFactory
from hrhelper.ports.security import (
    ExternalIdentity,
    GoogleIdentityVerifier,
    PasswordHasher,
    RateLimiter,
)

__all__ = ["AuthService", "Limits", "LoginResult", "Registration", "session_digest"]

BAD_CREDENTIALS = "Invalid email/username or password, or the account is inactive."
BAD_LINK = "The link is invalid or has expired."
SESSION_LIFETIME = timedelta(days=7)


@dataclass(frozen=True)
class Limits:
    """Attempts per window; per client address and per account."""

    login_per_ip: tuple[int, int] = (30, 300)
    login_per_account: tuple[int, int] = (10, 900)
    register_per_ip: tuple[int, int] = (10, 3600)
    reset_per_ip: tuple[int, int] = (10, 3600)
    reset_per_account: tuple[int, int] = (3, 3600)
    set_password_per_ip: tuple[int, int] = (20, 3600)


@dataclass(frozen=True)
class Registration:
    email: str
    first_name: str
    last_name: str
    password: str
    password_confirm: str


@dataclass(frozen=True)
class LoginResult:
    user: User
    tokens: TokenPair


def session_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class AuthService:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        hasher: PasswordHasher,
        tokens: TokenService,
        links: OneTimeLinks,
        link_builder: LinkBuilder,
        outbox: MailOutbox,
        limiter: RateLimiter,
        clock: Clock,
        google: GoogleIdentityVerifier,
        principals: PrincipalDirectory,
        limits: Limits = Limits(),
    ) -> None:
        self._principals = principals
        self._uow_factory = uow_factory
        self._hasher = hasher
        self._tokens = tokens
        self._links = links
        self._link_builder = link_builder
        self._outbox = outbox
        self._limiter = limiter
        self._clock = clock
        self._google = google
        self._limits = limits

    async def _throttle(self, key: str, rule: tuple[int, int]) -> None:
        wait = await self._limiter.hit(key, *rule)
        if wait:
            raise RateLimited("Too many attempts; try again later.", retry_after=wait)

    async def register(self, data: Registration, client: str) -> LoginResult:
        """A candidate signs up: role user, unverified, a verification link by mail."""
        await self._throttle(f"register:ip:{client}", self._limits.register_per_ip)
        email = normalize_email(data.email)
        check_new_password(data.password, data.password_confirm)
        password_hash = await self._hasher.hash(data.password)
        now = self._clock.now()
        async with self._uow_factory() as uow:
            if await uow.users.get_by_email(email):
                raise Conflict(
                    "A user with this email already exists.",
                    {"email": ["A user with this email already exists."]},
                )
            user = await uow.users.add(
                User(
                    email=email,
                    first_name=data.first_name.strip(),
                    last_name=data.last_name.strip(),
                    role=Role.USER,
                    password_hash=password_hash,
                    created_at=now,
                    updated_at=now,
                )
            )
            await uow.profiles.add_candidate(CandidateProfile(user.pk, now, now))
            await self._mail_link(uow, user, LinkPurpose.VERIFY_EMAIL)
            tokens = await self._tokens.issue(uow, user, now)
            await uow.commit()
        return LoginResult(user, tokens)

    async def login(self, login: str, password: str, client: str) -> LoginResult:
        """By email or username. Unknown user, wrong password and inactive account get the
        same answer in the same time."""
        account = login.strip().lower()
        await self._throttle(f"login:ip:{client}", self._limits.login_per_ip)
        await self._throttle(f"login:account:{account}", self._limits.login_per_account)
        async with self._uow_factory() as uow:
            user = await uow.users.get_by_email(account) if account else None
            if user is None or user.password_hash is None:
                await self._hasher.verify_dummy(password)
                raise Unauthenticated(BAD_CREDENTIALS)
            valid = await self._hasher.verify(user.password_hash, password)
            if not valid or not user.is_active:
                raise Unauthenticated(BAD_CREDENTIALS)
            now = self._clock.now()
            user.last_login = now
            tokens = await self._tokens.issue(uow, user, now)
            await uow.commit()
        return LoginResult(user, tokens)

    async def login_with_google(self, id_token: str) -> LoginResult:
        """Create or link the account of a verified Google address."""
        identity = await self._google.verify(id_token)
        if not identity.email_verified:
            raise Unauthenticated("The Google account's email is not verified.")
        email = normalize_email(identity.email)
        now = self._clock.now()
        async with self._uow_factory() as uow:
            user = await uow.users.get_by_email(email)
            if user is None:
                user = await uow.users.add(
                    User(
                        email=email,
                        first_name=identity.first_name,
                        last_name=identity.last_name,
                        role=Role.USER,
                        auth_type=AuthType.GOOGLE,
                        is_verified=True,
                        created_at=now,
                        updated_at=now,
                    )
                )
                await uow.profiles.add_candidate(CandidateProfile(user.pk, now, now))
            elif not user.is_active:
                raise Unauthenticated(BAD_CREDENTIALS)
            elif not user.is_verified:
                await self._evict_unproven_owner(uow, user, identity, now)
            user.is_verified = True  # Google vouched for the address
            user.last_login = now
            tokens = await self._tokens.issue(uow, user, now)
            await uow.commit()
        return LoginResult(user, tokens)

    @staticmethod
    async def _evict_unproven_owner(
        uow: UnitOfWork, user: User, identity: ExternalIdentity, now: datetime
    ) -> None:
        """An unverified local account was opened by someone who never proved they own the
        address (possibly to squat it before its owner arrives). The owner now has: whatever
        that someone set to get in again (password, refresh tokens, sessions) is taken away
        before the account is linked."""
        user.password_hash = None
        user.auth_type = AuthType.GOOGLE
        user.first_name = identity.first_name or user.first_name
        user.last_name = identity.last_name or user.last_name
        user.updated_at = now
        await uow.refresh_tokens.revoke_all(user.pk, now)
        await uow.sessions.end_all(user.pk)

    async def refresh(self, refresh_token: str) -> LoginResult:
        async with self._uow_factory() as uow:
            user, tokens = await self._tokens.rotate(uow, refresh_token, self._clock.now())
            await uow.commit()
        return LoginResult(user, tokens)

    async def logout(self, user_id: int, refresh_token: str | None, session: str | None) -> None:
        async with self._uow_factory() as uow:
            if refresh_token:
                await self._tokens.revoke(uow, refresh_token, user_id, self._clock.now())
            if session:
                await uow.sessions.end(session_digest(session))
            await uow.commit()

    async def authenticate(self, kind: str, credential: str) -> User | None:
        """The active user behind an access token ("bearer") or a session digest."""
        now = self._clock.now()
        if kind == "session":
            return await self._principals.session_user(credential, now)
        claims = self._tokens.access_claims(credential, now)
        if claims is None:
            return None
        user = await self._principals.active_user(claims.user_id)
        return user if user is not None and self._tokens.still_valid_for(claims, user) else None

    async def open_session(self, user: User) -> str:
        """A browser session; the cookie carries the token, the database only its digest."""
        token = secrets.token_urlsafe(32)
        async with self._uow_factory() as uow:
            await uow.sessions.add(
                session_digest(token), user.pk, self._clock.now() + SESSION_LIFETIME
            )
            await uow.commit()
        return token

    async def verify_email(self, uid: str, token: str) -> User:
        now = self._clock.now()
        async with self._uow_factory() as uow:
            user = await self._user_for_link(uow, uid, token, LinkPurpose.VERIFY_EMAIL)
            user.is_verified = True
            user.updated_at = now
            await uow.commit()
        return user

    async def request_password_reset(self, email: str, client: str) -> None:
        """Answers the same whether or not the address is known (no account discovery)."""
        await self._throttle(f"reset:ip:{client}", self._limits.reset_per_ip)
        address = email.strip().lower()
        await self._throttle(f"reset:account:{address}", self._limits.reset_per_account)
        async with self._uow_factory() as uow:
            user = await uow.users.get_by_email(address)
            if user is None or not user.is_active:
                return
            await self.mail_reset_link(uow, user)
            await uow.commit()

    async def mail_reset_link(self, uow: UnitOfWork, user: User) -> None:
        await self._mail_link(uow, user, LinkPurpose.RESET_PASSWORD)

    async def set_password(
        self,
        uid: str,
        token: str,
        password: str,
        password_confirm: str,
        client: str,
        purpose: LinkPurpose,
    ) -> User:
        """Finish a reset or an HR invitation: the link is spent, every token revoked."""
        await self._throttle(f"set-password:ip:{client}", self._limits.set_password_per_ip)
        check_new_password(password, password_confirm)
        password_hash = await self._hasher.hash(password)
        now = self._clock.now()
        async with self._uow_factory() as uow:
            user = await self._user_for_link(uow, uid, token, purpose)
            if not user.is_active:
                raise InvalidInput(BAD_LINK, {"token": [BAD_LINK]})
            user.password_hash = password_hash
            user.is_verified = True  # the link proved the address
            user.updated_at = now
            await uow.refresh_tokens.revoke_all(user.pk, now)
            await uow.sessions.end_all(user.pk)
            await uow.commit()
        return user

    async def _user_for_link(
        self, uow: UnitOfWork, uid: str, token: str, purpose: LinkPurpose
    ) -> User:
        user_id = decode_uid(uid)
        user = await uow.users.get(user_id) if user_id is not None else None
        if user is None or not self._links.check(user, purpose, token, self._clock.now()):
            raise InvalidInput(BAD_LINK, {"token": [BAD_LINK]})
        return user

    async def _mail_link(self, uow: UnitOfWork, user: User, purpose: LinkPurpose) -> None:
        uid, token = self._links.make(user, purpose, self._clock.now())
        if purpose is LinkPurpose.VERIFY_EMAIL:
            subject, body = verification_mail(user, self._link_builder.verify_email(uid, token))
        else:
            subject, body = reset_mail(user, self._link_builder.reset_password(uid, token))
        await self._outbox.put(uow, to=user.email, subject=subject, body=body)
