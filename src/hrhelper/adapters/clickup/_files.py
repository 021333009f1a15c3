"""Attachment downloads: from the attachment's own URL, without the API token (the files live
on another host and their URLs already grant access), streamed up to a size limit."""

from __future__ import annotations

import time

import httpx
import structlog

from hrhelper.adapters.clickup.errors import Transient
from hrhelper.domain.errors import DomainError, NotFound, OutsideServiceError
from hrhelper.ports.clickup import TaskAttachment

__all__ = ["fetch"]

_log = structlog.get_logger(__name__)

_GONE = "The ClickUp attachment is gone (its link no longer works)."


async def fetch(
    http: httpx.AsyncClient, attachment: TaskAttachment, *, limits: httpx.Timeout, max_bytes: int
) -> bytes:
    """The content; ``Transient`` for what is worth another attempt, else a domain error."""
    started = time.perf_counter()
    try:
        async with http.stream("GET", attachment.url, timeout=limits) as response:
            if response.status_code == 429 or response.status_code >= 500:
                await response.aread()
                raise Transient(response=response)
            if not response.is_success:
                raise _refused(response.status_code)
            content = bytearray()
            async for chunk in response.aiter_bytes():
                content += chunk
                if len(content) > max_bytes:
                    raise OutsideServiceError(
                        f"The ClickUp attachment is larger than {_size(max_bytes)}, "
                        "the most HR Helper takes.",
                        {"attachment": attachment.name},
                    )
    except httpx.TransportError as error:
        _log.warning("clickup_download_error", attachment=attachment.id, error=type(error).__name__)
        raise Transient(error=error) from error
    _log.debug(
        "clickup_download",
        attachment=attachment.id,
        bytes=len(content),
        ms=round((time.perf_counter() - started) * 1000),
    )
    return bytes(content)


def _refused(status: int) -> DomainError:
    if status in (401, 403, 404, 410):  # the link expired or the file was removed
        return NotFound(_GONE, {"status": status})
    return OutsideServiceError(
        f"ClickUp refused to hand out the attachment (HTTP {status}).", {"status": status}
    )


def _size(count: int) -> str:
    megabytes = count / (1024 * 1024)
    return f"{megabytes:g} MB" if megabytes >= 1 else f"{count} bytes"
