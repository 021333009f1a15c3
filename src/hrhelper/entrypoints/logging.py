"""structlog set-up shared by every entrypoint: JSON in production, readable in development."""

from __future__ import annotations

import logging
import sys
from collections.abc import MutableMapping
from typing import Any

import structlog

from hrhelper.settings import Settings

__all__ = ["configure_logging"]

_SECRET_KEYS = {"password", "token", "secret", "authorization", "api_key", "access", "refresh"}


def _redact(_logger: Any, _name: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """Last line of defence: never write a field named like a secret."""
    for key in event:
        if any(part in key.lower() for part in _SECRET_KEYS) and key != "event":
            event[key] = "***"
    return event


def configure_logging(settings: Settings) -> None:
    json_logs = settings.log_format == "json" or (
        settings.log_format == "auto" and settings.is_production
    )
    level = logging.getLevelName(settings.log_level.upper())
    if not isinstance(level, int):
        level = logging.INFO
    shared: list[structlog.types.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _redact,
    ]
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer()
        if json_logs
        else structlog.dev.ConsoleRenderer(
            colors=sys.stderr.isatty(), exception_formatter=structlog.dev.plain_traceback
        )
    )
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.make_filtering_bound_logger(level),
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            _exc_info_processor(json_logs),
            renderer,
        ],
    )
    handler = logging.StreamHandler()
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level)
    # one line per request comes from our middleware; silence the duplicates
    for noisy in ("uvicorn.access", "httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def _exc_info_processor(json_logs: bool) -> structlog.types.Processor:
    """JSON logs carry the traceback as a string field; the console renderer prints it."""
    return structlog.processors.format_exc_info if json_logs else _identity


def _identity(
    _logger: Any, _name: str, event: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    return event
