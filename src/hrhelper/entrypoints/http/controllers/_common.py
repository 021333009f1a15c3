"""Small helpers shared by controllers."""

from __future__ import annotations

from typing import Any

from litestar import Request

__all__ = ["client_address"]


def client_address(request: Request[Any, Any, Any]) -> str:
    """The caller's address (uvicorn resolves X-Forwarded-For from trusted proxies)."""
    return request.client.host if request.client else "unknown"
