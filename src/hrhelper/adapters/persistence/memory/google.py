"""Connected Google accounts, events and files over the tables of a MemoryUnitOfWork."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from hrhelper.adapters.persistence.memory.identity import next_id
from hrhelper.domain.google.model import (
    AccountQuery,
    EventQuery,
    FileQuery,
    GoogleAccount,
    StoredEvent,
    StoredFile,
)
from hrhelper.ports.google_store import GoogleStore

__all__ = ["MemoryGoogleStore"]

_FAR_PAST = datetime.min.replace(tzinfo=UTC)


def _has(text: str | None, term: str) -> bool:
    return term.strip().lower() in (text or "").lower()


class MemoryGoogleStore(GoogleStore):
    def __init__(self, tables: dict[str, Any]) -> None:
        self._tables = tables
        self._accounts: dict[int, GoogleAccount] = tables["google_accounts"]
        self._events: dict[tuple[int, str], StoredEvent] = tables["google_events"]
        self._files: dict[tuple[int, str], StoredFile] = tables["google_files"]

    def _visible(self, account_id: int, owner: int | None) -> bool:
        account = self._accounts.get(account_id)
        return account is not None and (owner is None or account.user_id == owner)

    async def save_account(self, account: GoogleAccount) -> GoogleAccount:
        if account.id == 0:
            account = replace(account, id=next_id(self._tables, "google_accounts"))
        self._accounts[account.id] = replace(account)
        return account

    async def account(self, account_id: int, owner: int | None) -> GoogleAccount | None:
        if not self._visible(account_id, owner):
            return None
        return replace(self._accounts[account_id])

    async def account_of(self, user_id: int, email: str) -> GoogleAccount | None:
        for account in self._accounts.values():
            if account.user_id == user_id and account.email == email:
                return replace(account)
        return None

    async def accounts(self, query: AccountQuery) -> tuple[int, list[GoogleAccount]]:
        found = [
            replace(a)
            for _, a in sorted(self._accounts.items())
            if (query.owner is None or a.user_id == query.owner)
            and (query.user_id is None or a.user_id == query.user_id)
            and (query.email is None or a.email.lower() == query.email.lower())
            and (query.is_active is None or a.is_active == query.is_active)
        ]
        return len(found), found[query.offset : query.offset + query.limit]

    async def active_account_ids(self, owner: int | None) -> list[int]:
        return sorted(
            a.id
            for a in self._accounts.values()
            if a.is_active and (owner is None or a.user_id == owner)
        )

    async def upsert_events(self, events: Sequence[StoredEvent]) -> None:
        for event in events:
            key = (event.account_id, event.google_id)
            known = self._events.get(key)
            event_id = known.id if known else next_id(self._tables, "google_events")
            self._events[key] = replace(event, id=event_id)

    async def remove_events_except(
        self, account_id: int, since: datetime, until: datetime, keep: Collection[str]
    ) -> int:
        window = EventQuery(None, account_id, since, until, limit=len(self._events))
        gone = [
            (e.account_id, e.google_id)
            for e in (await self.events(window))[1]
            if e.google_id not in keep
        ]
        for key in gone:
            del self._events[key]
        return len(gone)

    async def events(self, query: EventQuery) -> tuple[int, list[StoredEvent]]:
        def matches(e: StoredEvent) -> bool:
            ends = e.end or e.start
            return (
                self._visible(e.account_id, query.owner)
                and (query.account_id is None or e.account_id == query.account_id)
                and (query.starts_from is None or (ends is not None and ends > query.starts_from))
                and (
                    query.starts_before is None
                    or (e.start is not None and e.start < query.starts_before)
                )
                and (not query.search or _has(e.summary, query.search))
            )

        found = sorted(
            (e for e in self._events.values() if matches(e)),
            key=lambda e: (e.start or _FAR_PAST, e.id),
        )
        return len(found), found[query.offset : query.offset + query.limit]

    async def event(self, event_id: int, owner: int | None) -> StoredEvent | None:
        return next(
            (
                e
                for e in self._events.values()
                if e.id == event_id and self._visible(e.account_id, owner)
            ),
            None,
        )

    async def upsert_files(self, files: Sequence[StoredFile]) -> None:
        for file in files:
            key = (file.account_id, file.google_id)
            known = self._files.get(key)
            file_id = known.id if known else next_id(self._tables, "google_files")
            self._files[key] = replace(file, id=file_id)

    async def remove_files_except(
        self, account_id: int, keep: Collection[str], changed_after: datetime | None
    ) -> int:
        gone = [
            key
            for key, f in self._files.items()
            if f.account_id == account_id
            and f.google_id not in keep
            and (
                changed_after is None
                or (f.modified_time is not None and f.modified_time > changed_after)
            )
        ]
        for key in gone:
            del self._files[key]
        return len(gone)

    async def files(self, query: FileQuery) -> tuple[int, list[StoredFile]]:
        found = [
            f
            for f in self._files.values()
            if self._visible(f.account_id, query.owner)
            and (query.account_id is None or f.account_id == query.account_id)
            and (query.mime_type is None or f.mime_type == query.mime_type)
            and (not query.search or _has(f.name, query.search))
        ]
        found.sort(key=lambda f: f.id)
        found.sort(key=lambda f: f.modified_time or _FAR_PAST, reverse=True)
        return len(found), found[query.offset : query.offset + query.limit]

    async def file(self, file_id: int, owner: int | None) -> StoredFile | None:
        return next(
            (
                f
                for f in self._files.values()
                if f.id == file_id and self._visible(f.account_id, owner)
            ),
            None,
        )
