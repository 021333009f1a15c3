"""``GoogleOAuth`` over Google's OAuth 2.0 endpoints: the consent URL (GOOGLE_AUTH_URL) and
the token endpoint (GOOGLE_OAUTH_URL), form-encoded as Google requires.

- The code exchange is single-use: it is repeated only when Google surely did not receive it.
  A refresh changes nothing on Google's side, so it is retried on 5xx and timeouts.
- ``invalid_grant`` on a refresh → ``GoogleAccessRevoked``; on an exchange → ``InvalidInput``
  (the code is wrong, used or expired); ``invalid_client`` → the server's OAuth client
  settings are wrong.
- The email comes from the ID token in the answer; it came straight from Google's token
  endpoint, so its signature need not be checked (OpenID Connect Core § 3.1.3.7).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import httpx
import jwt
import structlog

from hrhelper.adapters._remote import (
    RetryPolicy,
    Transient,
    retry_after_header,
    transport_failure,
    with_retries,
)
from hrhelper.domain.errors import (
    DomainError,
    InvalidInput,
    OutsideServiceError,
    OutsideServiceUnavailable,
)
from hrhelper.ports.google import (
    CALENDAR_READONLY,
    DRIVE_READONLY,
    GoogleAccessRevoked,
    GoogleOAuth,
    GoogleTokens,
)

__all__ = ["SCOPES", "GoogleOAuthClient"]

SCOPES = ("openid", "email", CALENDAR_READONLY, DRIVE_READONLY)
_log = structlog.get_logger(__name__)
_RECONNECT = "Connect the Google account again."


class GoogleOAuthClient(GoogleOAuth):
    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        auth_url: str,
        token_url: str,
        client_id: str,
        client_secret: str,
        retry: RetryPolicy | None = None,
        timeout: httpx.Timeout | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self._http = http
        self._auth_url = auth_url
        self._token_url = token_url
        self._client_id = client_id
        self._client_secret = client_secret
        self._retry = retry or RetryPolicy()
        self._timeout = timeout or httpx.Timeout(15.0, connect=5.0)
        self._now = clock or (lambda: datetime.now(UTC))

    def consent_url(self, state: str, redirect_uri: str, *, login_hint: str | None = None) -> str:
        self._configured()
        params = {
            "response_type": "code",
            "client_id": self._client_id,
            "redirect_uri": redirect_uri,
            "scope": " ".join(SCOPES),
            "state": state,
            "access_type": "offline",
            "prompt": "consent",
            "include_granted_scopes": "true",
        }
        if login_hint:
            params["login_hint"] = login_hint
        separator = "&" if "?" in self._auth_url else "?"
        return self._auth_url + separator + urlencode(params)

    async def exchange_code(self, code: str, redirect_uri: str) -> GoogleTokens:
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
        }
        return await self._token(form, idempotent=False, refreshing=False)

    async def refresh(self, refresh_token: str) -> GoogleTokens:
        form = {"grant_type": "refresh_token", "refresh_token": refresh_token}
        return await self._token(form, idempotent=True, refreshing=True)

    # -- plumbing ------------------------------------------------------------------------

    def _configured(self) -> None:
        if not self._client_id or not self._client_secret:
            raise OutsideServiceError(
                "Google access is not configured on this server (GOOGLE_CLIENT_ID and "
                "GOOGLE_CLIENT_SECRET)."
            )

    async def _token(
        self, form: dict[str, str], *, idempotent: bool, refreshing: bool
    ) -> GoogleTokens:
        self._configured()
        form = {**form, "client_id": self._client_id, "client_secret": self._client_secret}
        try:
            body = await with_retries(
                lambda: self._post(form),
                self._retry,
                idempotent=idempotent,
                event="google_token_retry",
                grant=form["grant_type"],
            )
        except Transient as failure:
            raise _unavailable(failure) from None
        if "error" in body:
            raise _refusal(body, refreshing=refreshing)
        return self._tokens(body)

    async def _post(self, form: dict[str, str]) -> Mapping[str, Any]:
        try:
            response = await self._http.post(
                self._token_url,
                data=form,
                headers={"Accept": "application/json"},
                timeout=self._timeout,
            )
        except httpx.TransportError as error:
            raise transport_failure(error) from None
        _log.debug("google_token_request", grant=form["grant_type"], status=response.status_code)
        if response.status_code == 429 or response.status_code >= 500:
            raise Transient(
                f"HTTP {response.status_code}",
                status=response.status_code,
                retry_after=retry_after_header(response),
            )
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, Mapping):
            raise OutsideServiceUnavailable(
                f"Google's token endpoint answered HTTP {response.status_code} without JSON."
            )
        if not response.is_success and "error" not in body:
            return {"error": f"http_{response.status_code}"}
        return body

    def _tokens(self, body: Mapping[str, Any]) -> GoogleTokens:
        access = body.get("access_token")
        if not isinstance(access, str) or not access:
            raise OutsideServiceUnavailable("Google's token endpoint gave no access token.")
        expires_in = body.get("expires_in")
        claims = _claims(body.get("id_token"))
        refresh = body.get("refresh_token")
        return GoogleTokens(
            access_token=access,
            refresh_token=refresh if isinstance(refresh, str) and refresh else None,
            expires_at=(
                self._now() + timedelta(seconds=int(expires_in))
                if isinstance(expires_in, int | str) and str(expires_in).isdigit()
                else None
            ),
            scopes=tuple(str(body.get("scope") or "").split()),
            email=str(claims["email"]) if claims.get("email") else None,
            subject=str(claims["sub"]) if claims.get("sub") else None,
        )


def _claims(id_token: object) -> Mapping[str, Any]:
    if not isinstance(id_token, str) or not id_token:
        return {}
    try:
        claims = jwt.decode(id_token, options={"verify_signature": False})
    except jwt.InvalidTokenError:
        return {}
    return claims if isinstance(claims, Mapping) else {}


def _refusal(body: Mapping[str, Any], *, refreshing: bool) -> DomainError:
    code = str(body.get("error"))
    description = str(body.get("error_description") or code)
    details: dict[str, object] = {"error": code}
    if code == "invalid_grant" and refreshing:
        return GoogleAccessRevoked(
            f"Google no longer accepts this account's access ({description}). " + _RECONNECT,
            details,
        )
    if code == "invalid_grant":
        return InvalidInput(
            f"The Google authorization code is invalid, used or expired ({description}). "
            "Start the connection again.",
            details,
        )
    if code in ("invalid_client", "unauthorized_client"):
        return OutsideServiceError(
            "Google does not accept this server's OAuth client (check GOOGLE_CLIENT_ID and "
            f"GOOGLE_CLIENT_SECRET): {description}",
            details,
        )
    if code == "redirect_uri_mismatch":
        return OutsideServiceError(
            f"The redirect URI is not registered for this OAuth client: {description}", details
        )
    return OutsideServiceError(f"Google refused the token request: {description}", details)


def _unavailable(failure: Transient) -> OutsideServiceUnavailable:
    if failure.status is not None:
        return OutsideServiceUnavailable(
            f"Google's token endpoint is unavailable (HTTP {failure.status}); try again later.",
            {"status": failure.status},
        )
    return OutsideServiceUnavailable(f"Google's token endpoint {failure.reason}; try later.")
