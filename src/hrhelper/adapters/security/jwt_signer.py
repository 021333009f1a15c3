from __future__ import annotations

from datetime import UTC, datetime

import jwt

from hrhelper.ports.security import AccessClaims, TokenSigner

__all__ = ["JwtSigner"]

_ALGORITHM = "HS256"


class JwtSigner(TokenSigner):
    """HS256 JWTs with ``sub``, ``type``, ``jti``, ``iat``, ``exp``, a fixed issuer and, when
    given, the credentials stamp ``stm``."""

    def __init__(self, secret: str, issuer: str = "hrhelper") -> None:
        self._secret = secret
        self._issuer = issuer

    def sign(
        self,
        user_id: int,
        token_type: str,
        jti: str,
        lifetime_s: int,
        now: datetime,
        stamp: str = "",
    ) -> str:
        issued = int(now.timestamp())
        claims: dict[str, object] = {
            "sub": str(user_id),
            "type": token_type,
            "jti": jti,
            "iat": issued,
            "exp": issued + lifetime_s,
            "iss": self._issuer,
        }
        if stamp:
            claims["stm"] = stamp
        return jwt.encode(claims, self._secret, algorithm=_ALGORITHM)

    def verify(self, token: str, token_type: str, now: datetime) -> AccessClaims | None:
        try:
            claims = jwt.decode(
                token,
                self._secret,
                algorithms=[_ALGORITHM],
                issuer=self._issuer,
                options={"require": ["exp", "iat", "sub", "jti", "type"], "verify_exp": False},
            )
        except jwt.InvalidTokenError:
            return None
        expires = int(claims["exp"])
        if claims.get("type") != token_type or expires <= now.timestamp():
            return None
        try:
            user_id = int(claims["sub"])
        except (TypeError, ValueError):
            return None
        return AccessClaims(
            user_id=user_id,
            token_type=token_type,
            jti=str(claims["jti"]),
            expires_at=datetime.fromtimestamp(expires, UTC),
            stamp=str(claims.get("stm", "")),
        )
