"""Google ID-token verification against the keys published at GOOGLE_CERTS_URL."""

from __future__ import annotations

import asyncio
import re
import time
from typing import Any

import httpx
import jwt
import structlog

from hrhelper.domain.errors import OutsideServiceUnavailable, Unauthenticated
from hrhelper.ports.security import ExternalIdentity, GoogleIdentityVerifier

__all__ = ["GoogleIdTokenVerifier"]

_log = structlog.get_logger(__name__)
_ISSUERS = ("accounts.google.com", "https://accounts.google.com")
_MAX_AGE = re.compile(r"max-age=(\d+)")
_INVALID = "The Google token is invalid or expired."


class GoogleIdTokenVerifier(GoogleIdentityVerifier):
    """Keys are cached for the Cache-Control max-age Google sends (1 h by default) and fetched
    again when a token names an unknown key id (Google rotates keys)."""

    def __init__(self, client: httpx.AsyncClient, certs_url: str, client_id: str) -> None:
        self._client = client
        self._certs_url = certs_url
        self._client_id = client_id
        self._keys: dict[str, Any] = {}
        self._expires = 0.0
        self._lock = asyncio.Lock()

    async def verify(self, id_token: str) -> ExternalIdentity:
        if not self._client_id:
            raise Unauthenticated("Google login is not configured on this server.")
        try:
            header = jwt.get_unverified_header(id_token)
        except jwt.InvalidTokenError as error:
            raise Unauthenticated(_INVALID) from error
        key = await self._key(str(header.get("kid", "")))
        try:
            claims = jwt.decode(
                id_token,
                key,
                algorithms=["RS256"],
                audience=self._client_id,
                options={"require": ["exp", "iat", "iss", "sub", "aud"]},
                leeway=30,
            )
        except jwt.InvalidTokenError as error:
            raise Unauthenticated(_INVALID) from error
        if claims.get("iss") not in _ISSUERS:
            raise Unauthenticated(_INVALID)
        return ExternalIdentity(
            subject=str(claims["sub"]),
            email=str(claims.get("email", "")),
            email_verified=claims.get("email_verified") in (True, "true"),
            first_name=str(claims.get("given_name", "")),
            last_name=str(claims.get("family_name", "")),
        )

    async def _key(self, kid: str) -> Any:
        if kid not in self._keys or time.monotonic() > self._expires:
            async with self._lock:
                if kid not in self._keys or time.monotonic() > self._expires:
                    await self._refresh()
        if kid not in self._keys:
            raise Unauthenticated(_INVALID)
        return self._keys[kid]

    async def _refresh(self) -> None:
        try:
            response = await self._client.get(self._certs_url, timeout=10.0)
            response.raise_for_status()
            keys = {
                str(jwk["kid"]): jwt.PyJWK.from_dict(jwk).key
                for jwk in response.json().get("keys", [])
                if jwk.get("kid")
            }
        except (httpx.HTTPError, ValueError, KeyError, jwt.PyJWKError) as error:
            _log.warning("google_certs_unavailable", error=str(error))
            raise OutsideServiceUnavailable(
                "Google's signing keys cannot be fetched now."
            ) from error
        match = _MAX_AGE.search(response.headers.get("cache-control", ""))
        self._keys = keys
        self._expires = time.monotonic() + (int(match.group(1)) if match else 3600)
