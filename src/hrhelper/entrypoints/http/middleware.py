"""One log line per request, with a request id that is also returned as a header, the
security headers every answer carries, and the count of requests no route answered.

The app wraps its whole ASGI handler in this middleware (not the per-route middleware list), so
it also sees answers that never reach a route: 404 for an unknown path, 405, a 413 and errors
raised by other middleware. Prometheus' own middleware runs per route and never sees those,
so they are counted here, by method and status only (a path label would let any client grow
the metric without bound).
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Sequence
from typing import Any

import structlog
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from prometheus_client import Counter

__all__ = ["SECURITY_HEADERS", "UNMATCHED_REQUESTS", "RequestLogMiddleware"]

UNMATCHED_REQUESTS = Counter(
    "hrhelper_requests_unmatched_total",
    "Requests answered before any route was matched (unknown path, wrong method, ...).",
    ["method", "status_code"],
)

_log = structlog.get_logger("hrhelper.request")
_VALID_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")
_HEADER = b"x-request-id"

SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
)


_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"})


def _incoming_id(scope: Scope) -> str:
    for name, value in scope.get("headers", []):
        if name == _HEADER:
            candidate = value.decode("latin-1")
            if _VALID_ID.fullmatch(candidate):
                return candidate
    return uuid.uuid4().hex


def _user_of(scope: Scope) -> Any:
    user = scope.get("user")
    return getattr(user, "id", None) if user is not None else None


class RequestLogMiddleware:
    """Pure ASGI (no per-request objects beyond the log line) so it costs little."""

    def __init__(
        self, app: ASGIApp, headers: Sequence[tuple[bytes, bytes]] = SECURITY_HEADERS
    ) -> None:
        self.app = app
        self._headers = tuple(headers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        request_id = _incoming_id(scope)
        path = scope["path"]  # routing rewrites scope["path"]; log what the client asked for
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers.extend(h for h in self._headers if h[0] not in present)
                headers.append((_HEADER, request_id.encode()))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            if "route_handler" not in scope:  # set by the router once a route matched
                method = str(scope.get("method", ""))
                if method not in _METHODS:
                    method = "other"  # any token is a valid method: keep the label bounded
                UNMATCHED_REQUESTS.labels(method, str(status)).inc()
            _log.info(
                "request",
                method=scope.get("method"),
                path=path,
                status=status,
                duration_ms=round((time.perf_counter() - started) * 1000, 2),
                user=_user_of(scope),
                client=(scope.get("client") or ("", 0))[0],
            )
            structlog.contextvars.unbind_contextvars("request_id")
