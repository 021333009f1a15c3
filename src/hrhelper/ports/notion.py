"""Notion as the domain sees it: candidate pages in one database, read-only.

One ``PageSource`` talks with one integration token; ``PageSources.connect`` makes one per
user. Values are plain Python: property values are already reduced to text, numbers, booleans
or tuples of text (see ``PlainValue``), so nothing of the wire format leaks. Every method may
raise the domain errors:

- ``NotFound`` — the database or page does not exist, or is not shared with the integration
  (Notion cannot tell the two apart; the message says how to share it);
- ``OutsideServiceError`` — Notion refused for a reason a person can fix (a rejected token,
  a missing capability, an invalid query);
- ``OutsideServiceUnavailable`` — Notion is down, timing out or keeps rate-limiting; try later.
  Every call here is a read, so repeating it is always safe.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol

__all__ = [
    "PAGE_SIZE_MAX",
    "NotionBot",
    "NotionFile",
    "NotionPage",
    "NotionPageBatch",
    "NotionProperty",
    "NotionSort",
    "PageSource",
    "PageSources",
    "PlainValue",
    "SourceFile",
]

PlainValue = str | int | float | bool | tuple[str, ...] | None
"""A property value as plain data: text for title, rich_text, email, phone_number, url, select,
status and date (ISO ``start`` or ``start/end``); a number; a checkbox; names for multi_select,
people and files; ``None`` when empty or of a type that has no plain form."""

PAGE_SIZE_MAX = 100


@dataclass(frozen=True, slots=True)
class NotionBot:
    """The integration behind a token (``users/me``)."""

    id: str
    name: str
    workspace_name: str | None = None


@dataclass(frozen=True, slots=True)
class NotionProperty:
    """One property of a page: its name in the database, its Notion type, its plain value."""

    name: str
    type: str
    value: PlainValue


@dataclass(frozen=True, slots=True)
class NotionFile:
    """A file in a ``files`` property. Notion-hosted URLs are signed and expire after about an
    hour: download soon after reading the page, or read the page again."""

    property: str
    name: str
    url: str = field(repr=False)
    hosted: bool = True
    """Uploaded to Notion (``file``) rather than a link to elsewhere (``external``)."""
    expires_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class NotionPage:
    """A database row. ``properties`` keep the order Notion gave them."""

    id: str
    url: str
    title: str
    """The plain text of the title property."""
    created_time: datetime
    last_edited_time: datetime
    """Minute-precise on Notion's side: later edits in the same minute keep the same value."""
    parent_id: str | None = None
    archived: bool = False
    properties: tuple[NotionProperty, ...] = ()
    files: tuple[NotionFile, ...] = ()

    def plain_properties(self) -> Mapping[str, PlainValue]:
        """Name → plain value, in Notion's order (what the page cache keeps)."""
        return {prop.name: prop.value for prop in self.properties}


@dataclass(frozen=True, slots=True)
class NotionPageBatch:
    """One answer of a database query; ``next_cursor`` is ``None`` on the last one."""

    pages: tuple[NotionPage, ...]
    next_cursor: str | None = None


@dataclass(frozen=True, slots=True)
class NotionSort:
    """Order by a page timestamp (``created_time``, ``last_edited_time``) or a property."""

    key: str
    kind: Literal["timestamp", "property"] = "timestamp"
    descending: bool = False


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A downloaded file."""

    name: str
    content_type: str
    content: bytes = field(repr=False)


class PageSource(Protocol):
    """Notion with one integration token."""

    async def whoami(self) -> NotionBot:
        """The integration owning the token; also the cheap token check."""
        ...

    async def query_pages(
        self,
        database_id: str,
        *,
        edited_on_or_after: datetime | None = None,
        sorts: Sequence[NotionSort] = (),
        cursor: str | None = None,
        page_size: int = PAGE_SIZE_MAX,
    ) -> NotionPageBatch:
        """One batch of the database's pages (``page_size`` at most 100), optionally only
        those whose ``last_edited_time`` is on or after the given moment. Pass the previous
        batch's ``next_cursor`` (with the same other arguments) to read on."""
        ...

    def iter_pages(
        self,
        database_id: str,
        *,
        edited_on_or_after: datetime | None = None,
        sorts: Sequence[NotionSort] = (),
    ) -> AsyncIterator[NotionPage]:
        """Every matching page, following cursors to the end. Notion evaluates each batch
        afresh, so sort by ``created_time`` for a read that stays whole while pages are
        edited: ordered by ``last_edited_time``, an edited page jumps past the cursor."""
        ...

    async def page(self, page_id: str) -> NotionPage: ...

    async def page_text(self, page_id: str) -> str:
        """The page body as plain text: every block in order, nested blocks after their
        parent and indented, child pages and databases by their title only."""
        ...

    async def download(self, file: NotionFile, *, max_bytes: int) -> SourceFile:
        """The file's content; ``InvalidInput`` when it is larger than ``max_bytes``, or when
        an external link points into a private network."""
        ...


class PageSources(Protocol):
    """Makes the ``PageSource`` of one integration token (a user's own)."""

    def connect(self, token: str) -> PageSource: ...
