"""Who is calling: a Bearer JWT, or a session cookie (with CSRF on unsafe methods).

The middleware only identifies; guards decide. A presented but invalid Bearer token is a 401
even on public routes (a client should learn its token is bad); a stale session cookie just
means anonymous. Failures are recorded in the scope and raised by the app-wide guard, inside
the route, so logs and metrics see the status the client gets.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from typing import Any

from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie
from litestar.enums import ScopeType
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.types import ASGIApp, Receive, Scope, Send

from hrhelper.domain.identity.auth import session_digest
from hrhelper.domain.identity.model import Role, User
from hrhelper.entrypoints.http.docs import SESSION_COOKIE

__all__ = [
    "CSRF_COOKIE",
    "CSRF_HEADER",
    "AuthMiddleware",
    "UserLoader",
    "admin_only",
    "current_user",
    "require_authentication",
    "session_cookies",
    "staff_only",
]

CSRF_COOKIE = "csrftoken"
CSRF_HEADER = "x-csrftoken"
_SAFE = {"GET", "HEAD", "OPTIONS", "TRACE"}
_FAILURE = "hrhelper.auth_failure"

UserLoader = Callable[[str, str], Awaitable[User | None]]
"""(kind, credential) -> the active user, for kind "bearer" (access JWT) or "session"."""


class AuthMiddleware:
    def __init__(self, app: ASGIApp, load_user: UserLoader) -> None:
        self.app = app
        self._load_user = load_user

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP:
            try:
                await self._identify(scope)
            except (NotAuthorizedException, PermissionDeniedException) as failure:
                scope[_FAILURE] = failure  # type: ignore[literal-required]
        await self.app(scope, receive, send)

    async def _identify(self, scope: Scope) -> None:
        scope["user"] = None
        scope["auth"] = None
        connection: ASGIConnection[Any, Any, Any, Any] = ASGIConnection(scope)
        header = connection.headers.get("authorization", "")
        if header:
            scheme, _, token = header.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                raise NotAuthorizedException("Use 'Authorization: Bearer <access token>'.")
            user = await self._load_user("bearer", token.strip())
            if user is None:
                raise NotAuthorizedException("The access token is invalid or expired.")
            scope["user"], scope["auth"] = user, "bearer"
            return
        cookie = connection.cookies.get(SESSION_COOKIE)
        if cookie:
            user = await self._load_user("session", session_digest(cookie))
            if user is not None:
                _check_csrf(connection)
                scope["user"], scope["auth"] = user, "session"


class CsrfFailed(PermissionDeniedException):
    """A cookie-authenticated unsafe request without the matching CSRF header."""


def _check_csrf(connection: ASGIConnection[Any, Any, Any, Any]) -> None:
    """Double-submit: a cookie-authenticated unsafe request must echo the CSRF cookie."""
    if connection.scope.get("method", "GET") in _SAFE:
        return
    expected = connection.cookies.get(CSRF_COOKIE, "")
    given = connection.headers.get(CSRF_HEADER, "")
    if not expected or not hmac.compare_digest(expected.encode(), given.encode()):
        raise CsrfFailed(
            "CSRF check failed: send the csrftoken cookie's value in the X-CSRFToken header."
        )


def current_user(connection: ASGIConnection[Any, Any, Any, Any]) -> User:
    user = connection.scope.get("user")
    if not isinstance(user, User):
        raise NotAuthorizedException()
    return user


def require_authentication(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    """App-wide guard: every route needs a user unless it is marked ``opt={"public": True}``."""
    failure = connection.scope.get(_FAILURE)
    public = bool(handler.opt.get("public"))
    # A public route (login, register, …) never acts on the cookie's authority, so a browser
    # that still holds a session cookie is served as anonymous instead of refused for CSRF.
    if isinstance(failure, Exception) and not (public and isinstance(failure, CsrfFailed)):
        raise failure
    if public:
        return
    current_user(connection)


def staff_only(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    if not current_user(connection).role.is_staff:
        raise PermissionDeniedException("Only HR managers and admins can do this.")


def admin_only(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    if current_user(connection).role is not Role.ADMIN:
        raise PermissionDeniedException("Only admins can do this.")


def session_cookies(session: str, csrf: str, secure: bool) -> list[Cookie]:
    common: dict[str, Any] = {"path": "/", "secure": secure, "samesite": "lax"}
    return [
        Cookie(key=SESSION_COOKIE, value=session, httponly=True, max_age=7 * 24 * 3600, **common),
        Cookie(key=CSRF_COOKIE, value=csrf, httponly=False, max_age=7 * 24 * 3600, **common),
    ]
