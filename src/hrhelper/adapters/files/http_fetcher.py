"""Card attachments downloaded over HTTP (ClickUp and Notion hand out signed file URLs)."""

from __future__ import annotations

import httpx

from hrhelper.adapters._remote import out_of_reach
from hrhelper.domain.errors import InvalidInput, OutsideServiceError, OutsideServiceUnavailable
from hrhelper.domain.recruiting.card import Attachment
from hrhelper.ports.transfers import AttachmentFetcher

__all__ = ["HttpAttachmentFetcher"]


class HttpAttachmentFetcher(AttachmentFetcher):
    """GET the attachment's URL (redirects followed), at most ``max_bytes``. The URL is never
    put into error messages: signed URLs are credentials."""

    def __init__(
        self, http: httpx.AsyncClient, *, max_bytes: int = 20 * 1024 * 1024, timeout_s: float = 60
    ) -> None:
        self._http = http
        self._max_bytes = max_bytes
        self._timeout = httpx.Timeout(timeout_s, connect=5.0)

    async def fetch(self, attachment: Attachment) -> bytes:
        try:
            async with self._http.stream(
                "GET", attachment.url, follow_redirects=True, timeout=self._timeout
            ) as response:
                if response.status_code != 200:
                    # the file's host down (429, 502/503/504) is an outage; any other answer
                    # (a link gone or refused, a 500) is this attachment's own failure
                    unavailable = out_of_reach(response.status_code)
                    failure = OutsideServiceUnavailable if unavailable else OutsideServiceError
                    raise failure(
                        f"The attachment {attachment.name!r} could not be downloaded "
                        f"(HTTP {response.status_code})"
                        + ("; try again later." if unavailable else "."),
                        {"status": response.status_code},
                    )
                chunks: list[bytes] = []
                size = 0
                async for chunk in response.aiter_bytes():
                    size += len(chunk)
                    if size > self._max_bytes:
                        raise InvalidInput(
                            f"The attachment {attachment.name!r} is larger than "
                            f"{self._max_bytes / (1024 * 1024):.1f} MB."
                        )
                    chunks.append(chunk)
        except httpx.HTTPError as error:
            raise OutsideServiceUnavailable(
                f"The attachment {attachment.name!r} could not be downloaded; try again later."
            ) from error
        return b"".join(chunks)
