"""The ``TaskSourceFactory`` the container wires: one ``ClickUpClient`` per user token, all of
them sharing one HTTP pool and one limiter (which counts per token)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

import httpx

from hrhelper.adapters.clickup.client import ClickUpClient, limit_key
from hrhelper.adapters.ratelimit import RequestLimiter
from hrhelper.ports.clickup import TaskSource

__all__ = ["ClickUpSources"]


class ClickUpSources:
    """``sources(token)`` answers the client of that token, made once and kept for the
    ``keep`` most recently used tokens (keyed by the token's hash); ``client_options`` go to
    every client."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        base_url: str,
        limiter: RequestLimiter,
        *,
        keep: int = 256,
        client_options: Mapping[str, Any] | None = None,
    ) -> None:
        self._http = http
        self._base_url = base_url
        self._limiter = limiter
        self._keep = keep
        self._options = dict(client_options or {})
        self._clients: OrderedDict[str, ClickUpClient] = OrderedDict()

    def __call__(self, token: str) -> TaskSource:
        key = limit_key(token.strip())
        client = self._clients.get(key)
        if client is None:
            client = ClickUpClient(
                self._http, self._base_url, token, self._limiter, **self._options
            )
            self._clients[key] = client
            while len(self._clients) > self._keep:
                self._clients.popitem(last=False)
        self._clients.move_to_end(key)
        return client
