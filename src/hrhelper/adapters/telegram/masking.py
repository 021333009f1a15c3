"""The Bot API token sits in the URL path (``/bot<token>/<method>``), and httpx logs each
request's URL. A filter on the ``httpx`` logger rewrites those records; the adapter itself
logs the method name only and never chains httpx errors (they carry the request)."""

from __future__ import annotations

import logging
import re

__all__ = ["install_token_mask", "mask_token"]

_BOT_PATH = re.compile(r"/bot[^/\s\"']+/")


def mask_token(text: str) -> str:
    return _BOT_PATH.sub("/bot<token>/", text)


class _MaskBotToken(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if "/bot" in record.getMessage():
            record.msg = mask_token(record.getMessage())
            record.args = None
        return True


def install_token_mask() -> None:
    """Add the filter to the loggers that print request URLs (once per logger)."""
    for name in ("httpx", "httpcore"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, _MaskBotToken) for f in logger.filters):
            logger.addFilter(_MaskBotToken())
