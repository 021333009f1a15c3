"""Downloading a file named in a ``files`` property.

Notion-hosted files live behind signed, short-lived URLs on another host: the request carries
no token (the storage would refuse a second credential, and the token must not travel there).
The signed URL itself is a credential for an hour, so it is never logged or put in messages.

An external file is a link anybody with edit rights typed into the page, so it is fetched
only when its host resolves to public addresses: a link must not make our server read its own
network (cloud metadata, internal services) and pass the answer on to Huntflow.
"""

from __future__ import annotations

import asyncio
import ipaddress
import mimetypes
import socket
from urllib.parse import urlsplit

import httpx
import structlog

from hrhelper.adapters._remote import out_of_reach
from hrhelper.domain.errors import DomainError, InvalidInput, NotFound, OutsideServiceError
from hrhelper.domain.errors import OutsideServiceUnavailable as Unavailable
from hrhelper.ports.notion import NotionFile, SourceFile

__all__ = ["fetch_file"]

_log = structlog.get_logger(__name__)
_ATTEMPTS = 3


async def fetch_file(
    http: httpx.AsyncClient, file: NotionFile, *, max_bytes: int, limits: httpx.Timeout
) -> SourceFile:
    """The file's bytes, streamed and cut off above ``max_bytes``; transport errors and 5xx
    are tried ``_ATTEMPTS`` times."""
    if not file.url.lower().startswith(("https://", "http://")):
        message = "Only http(s) file links can be downloaded."
        raise InvalidInput.for_fields({"url": [message]}, message)
    if not file.hosted and not await _public(file.url):
        message = f"The link “{file.name}” points into a private network; it is not fetched."
        raise InvalidInput.for_fields({"url": [message]}, message)
    for attempt in range(1, _ATTEMPTS + 1):
        try:
            return await _fetch_once(http, file, max_bytes, limits)
        except _Retry as failure:
            _log.warning("notion_file_retry", attempt=attempt, reason=str(failure))
            if attempt == _ATTEMPTS:
                raise _gave_up(file, failure) from None
    raise AssertionError("unreachable")  # pragma: no cover


def _gave_up(file: NotionFile, failure: _Retry) -> DomainError:
    """Notion's file storage out of reach is an outage (try again later); an external link
    that does not answer, or a 500 that persists, is this file's own failure."""
    details = {"status": failure.status} if failure.status is not None else {}
    if file.hosted and out_of_reach(failure.status, throttles=frozenset()):
        message = f"The file “{file.name}” could not be downloaded; try again later."
        return Unavailable(message, details)
    return OutsideServiceError(
        f"The file “{file.name}” could not be downloaded ({failure}).", details
    )


async def _public(url: str) -> bool:
    """Whether every address of the URL's host is a public one."""
    host = urlsplit(url).hostname or ""
    try:
        found = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return False
    try:
        addresses = {ipaddress.ip_address(str(info[4][0])) for info in found}
    except ValueError:  # a scoped IPv6 address: link-local, so not public anyway
        return False
    return bool(addresses) and all(a.is_global for a in addresses)


class _Retry(Exception):
    def __init__(self, reason: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.status = status


async def _fetch_once(
    http: httpx.AsyncClient, file: NotionFile, max_bytes: int, limits: httpx.Timeout
) -> SourceFile:
    try:
        # an external link could redirect into the private network: no redirects for those
        async with http.stream(
            "GET", file.url, timeout=limits, follow_redirects=file.hosted
        ) as answer:
            if answer.status_code >= 500:
                raise _Retry(f"HTTP {answer.status_code}", answer.status_code)
            if answer.status_code in (400, 401, 403) and file.hosted:
                raise OutsideServiceError(
                    f"The link to “{file.name}” has expired; read the Notion page again.",
                    {"status": answer.status_code},
                )
            if answer.status_code == 404:
                raise NotFound(f"The file “{file.name}” no longer exists.", {"status": 404})
            if not answer.is_success:
                raise OutsideServiceError(
                    f"The file “{file.name}” could not be downloaded (HTTP {answer.status_code}).",
                    {"status": answer.status_code},
                )
            content = bytearray()
            async for chunk in answer.aiter_bytes():
                content.extend(chunk)
                if len(content) > max_bytes:
                    too_big = f"“{file.name}” is larger than {max_bytes} bytes."
                    raise InvalidInput.for_fields({"file": [too_big]}, too_big)
            media = answer.headers.get("content-type", "")
    except httpx.TransportError as error:
        raise _Retry(type(error).__name__) from None
    if not media or media.startswith(("binary/octet-stream", "application/octet-stream")):
        media = mimetypes.guess_type(file.name)[0] or media or "application/octet-stream"
    return SourceFile(name=file.name, content_type=media, content=bytes(content))
