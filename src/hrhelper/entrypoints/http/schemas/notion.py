"""Bodies of the Notion endpoints (the sync logs answer ClickUp's ``SyncLogOut`` shape)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec

from hrhelper.domain.recruiting.bulk_import import ImportRequest
from hrhelper.domain.recruiting.notion_model import CachedPage, NotionSettings
from hrhelper.domain.recruiting.notion_service import (
    MAX_INTERVAL,
    MIN_INTERVAL,
    NotionSettingsInput,
)
from hrhelper.domain.recruiting.transfer import TransferResult
from hrhelper.entrypoints.http.schemas.bulk_import import HuntflowId
from hrhelper.ports.notion import NotionBot

__all__ = [
    "LegacyPageOut",
    "NotionBotOut",
    "NotionBulkImportIn",
    "NotionSettingsIn",
    "NotionSettingsOut",
    "PageOut",
    "TransferIn",
    "TransferOut",
]


class NotionSettingsIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """``database_id`` is required: the database's id or its link as copied from Notion;
    ``sync_interval`` is in minutes."""

    database_id: Annotated[str, msgspec.Meta(max_length=500)] = ""
    auto_sync: bool = False
    sync_interval: Annotated[int, msgspec.Meta(ge=MIN_INTERVAL, le=MAX_INTERVAL)] = 60

    def command(self) -> NotionSettingsInput:
        return NotionSettingsInput(self.database_id, self.auto_sync, self.sync_interval)


class NotionSettingsOut(msgspec.Struct):
    configured: bool
    database_id: str | None = None
    auto_sync: bool = False
    sync_interval: int = 60
    last_auto_sync_at: datetime | None = None
    synced_up_to: datetime | None = None
    """The latest edit the last complete sync saw; the next sync reads from about there."""
    updated_at: datetime | None = None

    @classmethod
    def of(cls, settings: NotionSettings | None) -> NotionSettingsOut:
        if settings is None:
            return cls(configured=False)
        return cls(
            configured=True,
            database_id=settings.database_id,
            auto_sync=settings.auto_sync,
            sync_interval=settings.sync_interval,
            last_auto_sync_at=settings.last_auto_sync_at,
            synced_up_to=settings.watermark,
            updated_at=settings.updated_at,
        )


class NotionBotOut(msgspec.Struct):
    id: str
    name: str
    workspace_name: str | None

    @classmethod
    def of(cls, bot: NotionBot) -> NotionBotOut:
        return cls(bot.id, bot.name, bot.workspace_name)


class PageOut(msgspec.Struct):
    id: int
    user: int
    page_id: str
    title: str
    content: str
    parent_id: str | None
    url: str
    properties: dict[str, Any]
    """Property name → plain value: text, a number, a boolean or a list of names."""
    files: list[dict[str, Any]]
    """Each file's property and name (``url`` only for external links: Notion's own expire)."""
    created_time: datetime
    last_edited_time: datetime
    synced_at: datetime

    @classmethod
    def of(cls, page: CachedPage) -> PageOut:
        return cls(
            id=page.id or 0,
            user=page.user_id,
            page_id=page.page_id,
            title=page.title,
            content=page.content,
            parent_id=page.parent_id,
            url=page.url,
            properties=dict(page.properties),
            files=[dict(f) for f in page.files],
            created_time=page.created_time,
            last_edited_time=page.last_edited_time,
            synced_at=page.synced_at,
        )


class LegacyPageOut(msgspec.Struct):
    """The shape of the older ``GET /api/notion/pages/``."""

    id: str
    title: str
    url: str
    created_time: datetime
    last_edited_time: datetime
    properties: dict[str, Any]

    @classmethod
    def of(cls, page: CachedPage) -> LegacyPageOut:
        return cls(
            id=page.page_id,
            title=page.title,
            url=page.url,
            created_time=page.created_time,
            last_edited_time=page.last_edited_time,
            properties=dict(page.properties),
        )


class TransferIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The Huntflow organisation (``account_id``) and vacancy to put the candidate on."""

    account_id: Annotated[int, msgspec.Meta(ge=1)]
    vacancy_id: Annotated[int, msgspec.Meta(ge=1)]


class TransferOut(msgspec.Struct):
    success: bool
    message: str
    applicant_id: int
    account_id: int
    vacancy_id: int
    created: bool
    """False when the page was linked to an applicant already in Huntflow (same email or
    phone)."""
    action: str
    """``created`` | ``linked``"""
    file_id: int | None
    doubles: list[int]

    @classmethod
    def of(cls, result: TransferResult) -> TransferOut:
        action = "created" if result.created else "linked"
        message = (
            "Кандидат создан в Huntflow" if result.created else "Кандидат найден в Huntflow"
        ) + " и добавлен на вакансию"
        return cls(
            success=True,
            message=message,
            applicant_id=result.applicant_id,
            account_id=result.account_id,
            vacancy_id=result.vacancy_id,
            created=result.created,
            action=action,
            file_id=result.file_id,
            doubles=list(result.doubles),
        )


class NotionBulkImportIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """``sync_settings``: the cached pages of the configured database (true) or every cached
    page (false); ``delay_between_pages`` in seconds between the starts of two pages."""

    account_id: HuntflowId
    vacancy_id: HuntflowId
    sync_settings: bool = True
    delay_between_pages: float = 5.0
    max_pages: int = 100

    def command(self) -> ImportRequest:
        return ImportRequest(
            account_id=self.account_id,
            vacancy_id=self.vacancy_id,
            delay_s=self.delay_between_pages,
            max_items=self.max_pages,
            sync_settings=self.sync_settings,
        )
