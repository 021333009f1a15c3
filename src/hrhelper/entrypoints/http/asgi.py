"""ASGI factory for uvicorn (``--factory``): settings from the environment, one container."""

from __future__ import annotations

from litestar import Litestar

from hrhelper.container import create_container
from hrhelper.entrypoints.http.app import create_app
from hrhelper.entrypoints.logging import configure_logging
from hrhelper.settings import load_settings

__all__ = ["asgi_app"]


def asgi_app() -> Litestar:
    settings = load_settings()
    configure_logging(settings)
    return create_app(create_container(settings))
