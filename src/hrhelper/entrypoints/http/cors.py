"""CORS for the origins named by CORS_ALLOWED_ORIGINS, with credentials, and nothing else.

Litestar's own CORS middleware sends ``Access-Control-Allow-Credentials`` to every origin and
answers a refused preflight in plain text; here an unlisted origin gets no CORS header at all
(the browser then blocks the answer), and a refused preflight falls through to the app, which
answers it like any other request.
"""

from __future__ import annotations

from collections.abc import Iterable

from litestar.enums import ScopeType
from litestar.types import (
    ASGIApp,
    HTTPResponseBodyEvent,
    HTTPResponseStartEvent,
    Message,
    Receive,
    Scope,
    Send,
)

__all__ = ["CorsMiddleware"]

_METHODS = b"GET, POST, PUT, PATCH, DELETE, OPTIONS"
_EXPOSED = b"X-Request-ID, Retry-After, Content-Disposition"
_MAX_AGE = b"600"


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return bytes(value)
    return None


class CorsMiddleware:
    def __init__(self, app: ASGIApp, origins: Iterable[str]) -> None:
        self.app = app
        self._origins = frozenset(o.encode("latin-1") for o in origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        origin = _header(scope, b"origin") if scope["type"] == ScopeType.HTTP else None
        if origin is None:
            await self.app(scope, receive, send)
            return
        allowed = origin in self._origins
        requested = _header(scope, b"access-control-request-method")
        if allowed and scope.get("method") == "OPTIONS" and requested is not None:
            await self._preflight(scope, origin, send)
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"vary", b"Origin"))  # caches must not mix origins' answers
                if allowed:
                    headers.extend(self._granted(origin))
                    headers.append((b"access-control-expose-headers", _EXPOSED))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_cors)

    @staticmethod
    def _granted(origin: bytes) -> list[tuple[bytes, bytes]]:
        return [
            (b"access-control-allow-origin", origin),
            (b"access-control-allow-credentials", b"true"),
        ]

    async def _preflight(self, scope: Scope, origin: bytes, send: Send) -> None:
        headers = [
            *self._granted(origin),
            (b"access-control-allow-methods", _METHODS),
            (b"access-control-max-age", _MAX_AGE),
            (b"vary", b"Origin"),
            (b"content-length", b"0"),
        ]
        asked = _header(scope, b"access-control-request-headers")
        if asked:  # any request header: the origin is trusted, and the API checks every one
            headers.append((b"access-control-allow-headers", asked))
        start: HTTPResponseStartEvent = {
            "type": "http.response.start",
            "status": 204,
            "headers": headers,
        }
        await send(start)
        body: HTTPResponseBodyEvent = {
            "type": "http.response.body",
            "body": b"",
            "more_body": False,
        }
        await send(body)
