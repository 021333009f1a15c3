"""Where the Notion settings and cached pages of each user are kept.

Every method is scoped to one user: another user's rows are never seen. Transactional like
every repository: nothing is kept until the unit of work commits.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Protocol

from hrhelper.domain.recruiting.notion_model import CachedPage, NotionSettings, PageListQuery
from hrhelper.ports.identity import CredentialRepository
from hrhelper.ports.sync_logs import SyncLogRepository
from hrhelper.ports.transaction import Transaction

__all__ = [
    "NotionPageRepository",
    "NotionSettingsRepository",
    "NotionUnitOfWork",
    "NotionUnitOfWorkFactory",
]


class NotionSettingsRepository(Protocol):
    async def get(self, user_id: int) -> NotionSettings | None: ...

    async def put(self, settings: NotionSettings) -> None:
        """Create or replace the user's settings."""
        ...

    async def auto_synced(self) -> Sequence[NotionSettings]:
        """Settings of every user with ``auto_sync`` on."""
        ...


class NotionPageRepository(Protocol):
    async def known(self, user_id: int, page_ids: Sequence[str]) -> dict[str, CachedPage]:
        """Those of ``page_ids`` already cached (content left empty); one query."""
        ...

    async def upsert(self, page: CachedPage) -> None:
        """Store the page by (user, page id), replacing what was cached."""
        ...

    async def confirm(self, user_id: int, page_ids: Sequence[str], at: datetime) -> None:
        """Mark the cached versions of those pages as read again (unchanged) at ``at``."""
        ...

    async def ids(self, user_id: int) -> set[str]:
        """The page ids cached for the user."""
        ...

    async def remove(self, user_id: int, page_ids: Sequence[str]) -> int:
        """Drop those of the user's cached pages; answers how many were there."""
        ...

    async def clear(self, user_id: int) -> int:
        """Drop every cached page of the user; answers how many."""
        ...

    async def list(self, user_id: int, query: PageListQuery) -> tuple[int, Sequence[CachedPage]]:
        """The total matching ``query`` and one page of them; two queries whatever the page.
        ``search`` looks in the title, ignoring case; ties of the sort go by page id."""
        ...

    async def get(self, user_id: int, page_id: str) -> CachedPage | None: ...


class NotionUnitOfWork(Transaction, Protocol):
    """The part of the unit of work the Notion services need."""

    credentials: CredentialRepository
    notion_settings: NotionSettingsRepository
    notion_pages: NotionPageRepository
    notion_sync_logs: SyncLogRepository


NotionUnitOfWorkFactory = Callable[[], NotionUnitOfWork]
