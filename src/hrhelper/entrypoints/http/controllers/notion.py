"""Notion: the user's settings, the cached pages, syncs and a page's transfer into Huntflow
(HR managers and admins; everything is the caller's own)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from hrhelper.domain.recruiting.notion_model import PageListQuery
from hrhelper.domain.recruiting.notion_service import NotionService
from hrhelper.entrypoints.http.auth import current_user, staff_only
from hrhelper.entrypoints.http.openapi_errors import errors
from hrhelper.entrypoints.http.pagination import Page, PageParams
from hrhelper.entrypoints.http.schemas.clickup import SyncLogOut, SyncStartedOut
from hrhelper.entrypoints.http.schemas.notion import (
    LegacyPageOut,
    NotionBotOut,
    NotionSettingsIn,
    NotionSettingsOut,
    PageOut,
    TransferIn,
    TransferOut,
)

__all__ = ["LegacyNotionController", "NotionController"]

Notion = NamedDependency[NotionService]
AnyRequest = Request[Any, Any, Any]
_STARTED = "Синхронизация запущена"
_LEGACY_LIMIT = 100


def _me(request: AnyRequest) -> int:
    return current_user(request).pk


class NotionController(Controller):
    path = "/api/v1/notion-int"
    tags = ["Notion"]  # noqa: RUF012 - Litestar reads class attributes
    guards = [staff_only]  # noqa: RUF012 - Litestar reads class attributes

    @get("/settings/", operation_id="notion_settings_get")
    async def get_settings(self, request: AnyRequest, notion: Notion) -> NotionSettingsOut:
        """The caller's Notion settings (``configured: false`` before the first save)."""
        return NotionSettingsOut.of(await notion.settings(_me(request)))

    @post("/settings/", status_code=200, operation_id="notion_settings_save")
    async def save_settings(
        self, request: AnyRequest, data: JSONBody[NotionSettingsIn], notion: Notion
    ) -> NotionSettingsOut:
        """Save the candidates' database (its id or link) and the sync options."""
        return NotionSettingsOut.of(await notion.save_settings(_me(request), data.command()))

    @post(
        "/settings/test-connection/",
        status_code=200,
        operation_id="notion_test_connection",
        responses=errors(400, 404, 502),
    )
    async def test_connection(self, request: AnyRequest, notion: Notion) -> dict[str, Any]:
        """Check the caller's token and that the configured database is shared with it."""
        bot = await notion.test_connection(_me(request))
        return {
            "success": True,
            "message": "Соединение с Notion установлено",
            "bot": NotionBotOut.of(bot),
        }

    @get("/pages/", operation_id="notion_pages_list")
    async def pages(
        self,
        request: AnyRequest,
        notion: Notion,
        pages: NamedDependency[PageParams],
        search: Annotated[str, QueryParameter(max_length=200)] = "",
        parent_id: Annotated[str | None, QueryParameter(max_length=500)] = None,
        sort: Annotated[str, QueryParameter(max_length=32)] = "-last_edited_time",
    ) -> Page[PageOut]:
        """The caller's cached pages: ``search`` in the title, ``parent_id``, ``sort`` by
        last_edited_time, created_time or title (``-`` descending)."""
        query = PageListQuery(search, parent_id, sort, pages.offset, pages.limit)
        count, found = await notion.pages(_me(request), query)
        return Page.build(request, pages, count, [PageOut.of(p) for p in found])

    @get("/pages/{page_id:str}/", operation_id="notion_pages_detail")
    async def page(self, request: AnyRequest, page_id: FromPath[str], notion: Notion) -> PageOut:
        """One cached page, by its Notion id."""
        return PageOut.of(await notion.page(_me(request), page_id))

    @post(
        "/pages/{page_id:str}/transfer-to-huntflow/",
        status_code=200,
        operation_id="notion_pages_transfer",
        responses=errors(409, 502),
    )
    async def transfer(
        self,
        request: AnyRequest,
        page_id: FromPath[str],
        data: JSONBody[TransferIn],
        notion: Notion,
    ) -> TransferOut:
        """The page, read fresh from Notion, into Huntflow on the vacancy: created, or linked
        to the applicant Huntflow already has (same email or phone). A page transferred
        before is a 409 naming its applicant."""
        result = await notion.transfer(_me(request), page_id, data.account_id, data.vacancy_id)
        return TransferOut.of(result)

    @post(
        "/sync-pages/",
        status_code=202,
        operation_id="notion_sync_pages",
        responses=errors(400),
    )
    async def sync_pages(self, request: AnyRequest, notion: Notion) -> SyncStartedOut:
        """Queue a sync of the configured database; follow it in ``sync-logs``."""
        log = await notion.start_sync(_me(request))
        return SyncStartedOut(True, _STARTED, log.id or 0, log.status.value)

    @post("/clear-cache/", status_code=200, operation_id="notion_clear_cache")
    async def clear_cache(self, request: AnyRequest, notion: Notion) -> dict[str, Any]:
        """Drop every cached page of the caller; the next sync reads the whole database."""
        deleted = await notion.clear_cache(_me(request))
        return {"success": True, "message": "Кэш страниц Notion очищен", "deleted": deleted}

    @get("/sync-logs/", operation_id="notion_sync_logs")
    async def sync_logs(
        self, request: AnyRequest, notion: Notion, pages: NamedDependency[PageParams]
    ) -> Page[SyncLogOut]:
        """The caller's Notion syncs, newest first."""
        count, logs = await notion.sync_logs(_me(request), pages.offset, pages.limit)
        return Page.build(request, pages, count, [SyncLogOut.of(log) for log in logs])


class LegacyNotionController(Controller):
    """The older paths: a bare list of cached pages and starting a sync."""

    path = "/api/notion"
    tags = ["Notion"]  # noqa: RUF012 - Litestar reads class attributes
    guards = [staff_only]  # noqa: RUF012 - Litestar reads class attributes

    @get("/pages/", operation_id="notion_legacy_pages")
    async def pages(self, request: AnyRequest, notion: Notion) -> list[LegacyPageOut]:
        """The caller's cached pages, the 100 edited most recently."""
        _, found = await notion.pages(_me(request), PageListQuery(limit=_LEGACY_LIMIT))
        return [LegacyPageOut.of(p) for p in found]

    @post(
        "/sync/",
        status_code=202,
        operation_id="notion_legacy_sync",
        responses=errors(400),
    )
    async def sync(self, request: AnyRequest, notion: Notion) -> SyncStartedOut:
        """Queue a sync of the configured database."""
        log = await notion.start_sync(_me(request))
        return SyncStartedOut(True, _STARTED, log.id or 0, log.status.value)
