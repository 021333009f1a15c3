"""Bulk imports of Notion pages into Huntflow (HR managers and admins; everything is the
caller's own, another user's import is not found)."""

from __future__ import annotations

from typing import Any

from litestar import Request, post
from litestar.params import JSONBody

from hrhelper.entrypoints.http.controllers._bulk_import import BulkImportRoutes, Imports, me
from hrhelper.entrypoints.http.openapi_errors import errors
from hrhelper.entrypoints.http.schemas.bulk_import import BulkImportOut
from hrhelper.entrypoints.http.schemas.notion import NotionBulkImportIn

__all__ = ["NotionImportController"]

AnyRequest = Request[Any, Any, Any]


class NotionImportController(BulkImportRoutes):
    path = "/api/v1/notion-int"
    tags = ["Notion"]  # noqa: RUF012 - Litestar reads class attributes
    source = "notion"

    @post(
        "/bulk-import/",
        status_code=202,
        operation_id="notion_bulk_import_start",
        responses=errors(404),
    )
    async def start(
        self, request: AnyRequest, data: JSONBody[NotionBulkImportIn], bulk_imports: Imports
    ) -> BulkImportOut:
        """Queue an import of the cached pages into the vacancy; follow its progress."""
        names = ("max_pages", "delay_between_pages")
        job = await bulk_imports.start(me(request), self.source, data.command(), names=names)
        return BulkImportOut.of(job)
