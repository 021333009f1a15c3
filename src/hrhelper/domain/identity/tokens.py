"""JWT pairs with rotation: access 1 h, refresh 7 d; a refresh token works once.

An access token carries a stamp of its user's credentials (a keyed hash of the password hash
and the way they sign in). When those change — a password reset or set by an admin, an
unverified account taken back by the owner of its address — every access token issued before
stops working at once, instead of living out its hour; refresh tokens and sessions are
revoked by the same changes.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from hrhelper.domain.errors import Unauthenticated
from hrhelper.domain.identity.model import User
from hrhelper.ports.persistence import UnitOfWork
from hrhelper.ports.security import AccessClaims, TokenSigner

__all__ = ["ACCESS", "REFRESH", "TokenPair", "TokenService"]

ACCESS = "access"
REFRESH = "refresh"
_INVALID = "The refresh token is invalid, expired or already used."


@dataclass(frozen=True)
class TokenPair:
    access: str
    refresh: str


class TokenService:
    """Issues and rotates token pairs inside the caller's unit of work."""

    def __init__(
        self,
        signer: TokenSigner,
        access_lifetime: timedelta = timedelta(hours=1),
        refresh_lifetime: timedelta = timedelta(days=7),
        stamp_key: bytes = b"",
    ) -> None:
        self._signer = signer
        self._stamp_key = stamp_key
        self._access = access_lifetime
        self._refresh = refresh_lifetime

    async def issue(self, uow: UnitOfWork, user: User, now: datetime) -> TokenPair:
        if user.id is None:
            raise ValueError("tokens need a saved user")
        jti = uuid.uuid4().hex
        await uow.refresh_tokens.add(jti, user.id, now + self._refresh)
        return TokenPair(
            access=self._signer.sign(
                user.id,
                ACCESS,
                uuid.uuid4().hex,
                int(self._access.total_seconds()),
                now,
                stamp=self.stamp(user),
            ),
            refresh=self._signer.sign(
                user.id, REFRESH, jti, int(self._refresh.total_seconds()), now
            ),
        )

    async def rotate(
        self, uow: UnitOfWork, refresh_token: str, now: datetime
    ) -> tuple[User, TokenPair]:
        """Spend a refresh token for a new pair. A token seen again (stolen and replayed, or a
        client bug) revokes every token of its user."""
        claims = self._signer.verify(refresh_token, REFRESH, now)
        if claims is None:
            raise Unauthenticated(_INVALID)
        if not await uow.refresh_tokens.revoke(claims.jti, now):
            await uow.refresh_tokens.revoke_all(claims.user_id, now)
            await uow.commit()
            raise Unauthenticated(_INVALID)
        user = await uow.users.get(claims.user_id)
        if user is None or not user.is_active:
            raise Unauthenticated(_INVALID)
        return user, await self.issue(uow, user, now)

    async def revoke(
        self, uow: UnitOfWork, refresh_token: str, user_id: int, now: datetime
    ) -> None:
        claims = self._signer.verify(refresh_token, REFRESH, now)
        if claims is None or claims.user_id != user_id:
            raise Unauthenticated(_INVALID)
        await uow.refresh_tokens.revoke(claims.jti, now)

    def access_user_id(self, token: str, now: datetime) -> int | None:
        claims = self.access_claims(token, now)
        return claims.user_id if claims else None

    def access_claims(self, token: str, now: datetime) -> AccessClaims | None:
        return self._signer.verify(token, ACCESS, now)

    def stamp(self, user: User) -> str:
        credentials = f"{user.id}:{user.auth_type}:{user.password_hash or ''}".encode()
        return hmac.new(self._stamp_key, credentials, hashlib.sha256).hexdigest()[:24]

    def still_valid_for(self, claims: AccessClaims, user: User) -> bool:
        """Whether ``user``'s credentials are those the token was issued for."""
        return hmac.compare_digest(claims.stamp, self.stamp(user))
