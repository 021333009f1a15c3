"""Which statuses each route answered during this test session.

The API tests' apps record every answer here (route template, method, status), so that
``tests/schema/test_documented_errors.py`` can hold the schema to what the tests saw: every
error status a route documents was really produced, and every error status a route produced
is documented.
"""

from __future__ import annotations

import re
from collections import defaultdict

from litestar import Litestar
from litestar.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["ANSWERED", "SUITES", "Route", "record_answers", "route_key"]

Route = tuple[str, str]
"""(METHOD, path template without parameter types or trailing slash)"""

ANSWERED: defaultdict[Route, set[int]] = defaultdict(set)
SUITES: set[str] = set()
"""The test folders whose apps recorded answers in this run."""
_TYPED = re.compile(r"\{(\w+):[^}]+\}")


def route_key(method: str, template: str) -> Route:
    """``("GET", "/api/users/{user_id:int}/")`` → ``("GET", "/api/users/{user_id}")``: the
    router's templates and the schema's paths compare equal."""
    return method.upper(), _TYPED.sub(r"{\1}", template).rstrip("/") or "/"


class _Recorder:
    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        statuses: list[int] = []

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                statuses.append(int(message["status"]))
            await send(message)

        try:
            await self._app(scope, receive, sending)
        finally:
            template = scope.get("path_template")  # set by the router once a route matched
            if template and statuses:
                ANSWERED[route_key(scope["method"], template)].add(statuses[0])


def record_answers(app: Litestar, suite: str = "") -> Litestar:
    """``app``, recording each answer of a matched route into ``ANSWERED``."""
    if suite:
        SUITES.add(suite)
    app.asgi_handler = _Recorder(app.asgi_handler)
    return app
