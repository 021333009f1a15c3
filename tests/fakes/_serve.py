"""Serve a fake's ASGI app on 127.0.0.1:<free port> (uvicorn in a thread), and the request
journal the fakes share."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

import uvicorn
from litestar import Request, Response

__all__ = ["Recorded", "json_reply", "record", "serve_app"]


@dataclass(frozen=True)
class Recorded:
    """One request as a fake received it (headers with lower-case names)."""

    method: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]
    body: bytes
    at: float
    """``time.monotonic()`` on arrival."""

    @property
    def params(self) -> dict[str, str]:
        return dict(self.query)

    @property
    def json(self) -> Any:
        return json.loads(self.body) if self.body else None

    @property
    def form(self) -> dict[str, str]:
        return dict(parse_qsl(self.body.decode(), keep_blank_values=True))


async def record(request: Request[Any, Any, Any]) -> Recorded:
    return Recorded(
        request.method,
        request.url.path,
        parse_qsl(request.url.query or "", keep_blank_values=True),
        {k.lower(): v for k, v in request.headers.items()},
        await request.body(),
        time.monotonic(),
    )


def json_reply(status: int, body: Any, headers: dict[str, str] | None = None) -> Response[Any]:
    return Response(
        content=json.dumps(body).encode(),
        status_code=status,
        media_type="application/json",
        headers=headers or {},
    )


@contextmanager
def serve_app(app: Any, name: str) -> Iterator[str]:
    """Serve ``app`` until the block ends; yields ``http://127.0.0.1:<port>``."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        app, log_level="warning", access_log=False, lifespan="off", timeout_graceful_shutdown=1
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError(f"the fake {name} server did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
