"""Where connected Google accounts and their synced events and files are kept.

Transactional like every repository: nothing is kept until the unit of work commits. Reads
take an ``owner`` (a user id, or None for admins) and never return rows of another user's
accounts: an id that is not visible is simply not found.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Protocol

from hrhelper.domain.google.model import (
    AccountQuery,
    EventQuery,
    FileQuery,
    GoogleAccount,
    StoredEvent,
    StoredFile,
)

__all__ = ["GoogleStore"]


class GoogleStore(Protocol):
    async def save_account(self, account: GoogleAccount) -> GoogleAccount:
        """Insert (``id == 0``) or update the account; returns it with its id. One account
        per (user, email): the caller looks it up first with ``account_of``."""
        ...

    async def account(self, account_id: int, owner: int | None) -> GoogleAccount | None: ...

    async def account_of(self, user_id: int, email: str) -> GoogleAccount | None: ...

    async def accounts(self, query: AccountQuery) -> tuple[int, list[GoogleAccount]]:
        """The count of all matches and one page of them, by id."""
        ...

    async def active_account_ids(self, owner: int | None) -> list[int]: ...

    async def upsert_events(self, events: Sequence[StoredEvent]) -> None:
        """Insert or update by (account, Google id)."""
        ...

    async def remove_events_except(
        self, account_id: int, since: datetime, until: datetime, keep: Collection[str]
    ) -> int:
        """Forget the account's events in a synced window (ending after ``since``, starting
        before ``until``) whose Google ids are not in ``keep``: Google no longer lists them
        (deleted, or moved out of the window). The count removed."""
        ...

    async def events(self, query: EventQuery) -> tuple[int, list[StoredEvent]]:
        """By start time, then id."""
        ...

    async def event(self, event_id: int, owner: int | None) -> StoredEvent | None: ...

    async def upsert_files(self, files: Sequence[StoredFile]) -> None:
        """Insert or update by (account, Google id)."""
        ...

    async def remove_files_except(
        self, account_id: int, keep: Collection[str], changed_after: datetime | None
    ) -> int:
        """Forget the account's files whose Google ids are not in ``keep``: Drive no longer
        lists them (deleted or trashed). With ``changed_after``, only files changed after it
        (the listing was cut there; older ones were not asked about). The count removed."""
        ...

    async def files(self, query: FileQuery) -> tuple[int, list[StoredFile]]:
        """Newest change first, then id."""
        ...

    async def file(self, file_id: int, owner: int | None) -> StoredFile | None: ...
