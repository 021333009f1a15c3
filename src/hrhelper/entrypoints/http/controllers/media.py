"""Stored files behind authorization: the resume URLs the profile answers point here."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Stream

from hrhelper.domain.identity.profiles import ProfileService
from hrhelper.entrypoints.http.auth import current_user

__all__ = ["MediaController", "attachment"]

_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]")


def attachment(filename: str) -> str:
    """A Content-Disposition that makes browsers download (never render) the file, with the
    name in ASCII and, for other scripts, RFC 5987 UTF-8."""
    fallback = _UNSAFE.sub("_", filename).strip() or "download"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


class MediaController(Controller):
    path = "/media"
    tags = ["Authentication"]  # noqa: RUF012 - Litestar reads class attributes

    @get(
        "/{key:path}",
        operation_id="media_download",
        summary="Download a stored file (a candidate's resume)",
    )
    async def download(
        self,
        request: Request[Any, Any, Any],
        key: FromPath[str],
        profiles: NamedDependency[ProfileService],
    ) -> Stream:
        """The resume at the URL a profile shows, for its owner, HR and admins; 404 for
        anyone else and for a replaced resume."""
        found = await profiles.resume(current_user(request), key.strip("/"))
        return Stream(
            found.chunks,
            media_type=found.content_type or "application/octet-stream",
            headers={
                "Content-Disposition": attachment(found.filename),
                "Content-Length": str(found.size),
                "Cache-Control": "private, no-store",
            },
        )
