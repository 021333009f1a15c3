"""What hrhelper keeps about a user's Notion: the sync settings and the cached pages. No I/O.

The sync logs are the shared ``sync_log.SyncLog`` (source ``notion``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from hrhelper.domain.recruiting.notion import notion_id
from hrhelper.domain.recruiting.sorting import Sorted
from hrhelper.domain.recruiting.sync_runs import auto_sync_due
from hrhelper.domain.recruiting.sync_window import PageVersion
from hrhelper.ports.notion import NotionPage

__all__ = ["PAGE_SORTS", "CachedPage", "NotionSettings", "PageListQuery", "cached_page"]

PAGE_SORTS = ("last_edited_time", "created_time", "title")
"""Fields the cached pages can be sorted by (``-`` in front for descending)."""


@dataclass(frozen=True)
class NotionSettings:
    """Which database holds a user's candidates and how often to sync it."""

    user_id: int
    database_id: str
    updated_at: datetime
    auto_sync: bool = False
    sync_interval: int = 60
    """Minutes between automatic syncs."""
    last_auto_sync_at: datetime | None = None
    """When the scheduler last queued a sync of this user."""
    watermark: datetime | None = None
    """The highest ``last_edited_time`` the last complete sync saw; the next one reads from
    there (less the overlap). ``None``: the next sync reads the whole database."""

    def auto_sync_due(self, now: datetime) -> bool:
        return auto_sync_due(self, now)


@dataclass(frozen=True)
class CachedPage:
    """A Notion page as last read by a sync of its user. ``files`` keep each file's property
    and name (and the link of an external one), never Notion's signed links: they expire
    within an hour and are credentials meanwhile."""

    user_id: int
    page_id: str
    title: str
    url: str
    created_time: datetime
    last_edited_time: datetime
    fingerprint: str
    synced_at: datetime
    """When the stored version was last confirmed by reading the page."""
    content: str = ""
    parent_id: str | None = None
    properties: Mapping[str, Any] = field(default_factory=dict)
    """Property name → plain value (a list for names), in Notion's order."""
    files: Sequence[Mapping[str, Any]] = ()
    id: int | None = None

    @property
    def version(self) -> PageVersion:
        return PageVersion(self.last_edited_time, self.fingerprint)


def cached_page(
    user_id: int, page: NotionPage, content: str, fingerprint: str, synced_at: datetime
) -> CachedPage:
    """The cached form of ``page`` whose body text is ``content`` (JSON-safe values)."""
    return CachedPage(
        user_id=user_id,
        page_id=page.id,
        title=page.title,
        url=page.url,
        created_time=page.created_time,
        last_edited_time=page.last_edited_time,
        fingerprint=fingerprint,
        synced_at=synced_at,
        content=content,
        parent_id=page.parent_id,
        properties={
            name: list(value) if isinstance(value, tuple) else value
            for name, value in page.plain_properties().items()
        },
        files=[
            {"property": f.property, "name": f.name, "url": None if f.hosted else f.url}
            for f in page.files
        ],
    )


@dataclass(frozen=True)
class PageListQuery(Sorted):
    search: str = ""
    """In the title, ignoring case."""
    parent_id: str | None = None
    """The database's (or parent page's) id, dashed or not, or its link."""
    sort: str = "-last_edited_time"
    offset: int = 0
    limit: int = 20

    def __post_init__(self) -> None:
        if self.parent_id is not None:
            object.__setattr__(self, "parent_id", notion_id(self.parent_id, "parent_id"))
        self.check_sort(PAGE_SORTS)
