"""A unit of work over plain dicts: each one works on a copy and publishes it on commit."""

from __future__ import annotations

import copy
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from types import TracebackType
from typing import Any, Self

from hrhelper.adapters.persistence.after_commit import run_after_commit
from hrhelper.adapters.persistence.memory.chat import MemoryChatRepository
from hrhelper.adapters.persistence.memory.clickup import (
    MemoryClickUpSettingsRepository,
    MemoryClickUpTaskRepository,
)
from hrhelper.adapters.persistence.memory.google import MemoryGoogleStore
from hrhelper.adapters.persistence.memory.huntflow import MemoryAtsTokenRepository
from hrhelper.adapters.persistence.memory.identity import (
    MemoryCredentialRepository,
    MemoryProfileRepository,
    MemoryRefreshTokenRepository,
    MemorySessionRepository,
    MemoryUserRepository,
    TokenRow,
)
from hrhelper.adapters.persistence.memory.notion import (
    MemoryNotionPageRepository,
    MemoryNotionSettingsRepository,
)
from hrhelper.adapters.persistence.memory.outbox import MemoryOutboxRepository
from hrhelper.adapters.persistence.memory.rates import MemoryCurrencyRateRepository
from hrhelper.adapters.persistence.memory.sync_logs import MemorySyncLogRepository
from hrhelper.adapters.persistence.memory.telegram import MemoryTelegramRepository
from hrhelper.adapters.persistence.memory.vacancies import (
    MemoryGradeRepository,
    MemoryInterviewerRepository,
    MemoryVacancyRepository,
)
from hrhelper.domain.ai.model import ChatMessage, ChatSession
from hrhelper.domain.finance.model import CurrencyRate
from hrhelper.domain.google.model import GoogleAccount, StoredEvent, StoredFile
from hrhelper.domain.identity.model import (
    CandidateProfile,
    CredentialKind,
    HrProfile,
    HuntflowSystem,
    User,
)
from hrhelper.domain.interviewers.model import Interviewer
from hrhelper.domain.mail.outbox import OutgoingMail
from hrhelper.domain.messaging.model import TelegramChat, TelegramMessage
from hrhelper.domain.recruiting.clickup_model import CachedTask, ClickUpSettings
from hrhelper.domain.recruiting.notion_model import CachedPage, NotionSettings
from hrhelper.domain.recruiting.sync_log import SyncLog, SyncSource
from hrhelper.domain.vacancies.model import Grade, Vacancy
from hrhelper.ports.ats import SealedTokens
from hrhelper.ports.identity import StoredCredential
from hrhelper.ports.persistence import UnitOfWork

__all__ = ["MemoryStore", "MemoryUnitOfWork"]


@dataclass
class MemoryStore:
    """Committed state shared by the units of work of one test."""

    outbox: dict[str, OutgoingMail] = field(default_factory=dict)
    users: dict[int, User] = field(default_factory=dict)
    candidate_profiles: dict[int, CandidateProfile] = field(default_factory=dict)
    hr_profiles: dict[int, HrProfile] = field(default_factory=dict)
    credentials: dict[tuple[int, CredentialKind], StoredCredential] = field(default_factory=dict)
    refresh_tokens: dict[str, TokenRow] = field(default_factory=dict)
    sessions: dict[str, TokenRow] = field(default_factory=dict)
    grades: dict[int, Grade] = field(default_factory=dict)
    vacancies: dict[int, Vacancy] = field(default_factory=dict)
    interviewers: dict[int, Interviewer] = field(default_factory=dict)
    currency_rates: dict[tuple[str, date], CurrencyRate] = field(default_factory=dict)
    huntflow_tokens: dict[tuple[int, HuntflowSystem], SealedTokens] = field(default_factory=dict)
    chat_sessions: dict[int, ChatSession] = field(default_factory=dict)
    chat_messages: dict[int, ChatMessage] = field(default_factory=dict)
    telegram_chats: dict[int, TelegramChat] = field(default_factory=dict)
    telegram_messages: dict[tuple[int, int], TelegramMessage] = field(default_factory=dict)
    telegram_bot_state: dict[str, int] = field(default_factory=dict)
    clickup_settings: dict[int, ClickUpSettings] = field(default_factory=dict)
    clickup_tasks: dict[tuple[int, str], CachedTask] = field(default_factory=dict)
    sync_logs: dict[int, tuple[SyncSource, SyncLog]] = field(default_factory=dict)
    notion_settings: dict[int, NotionSettings] = field(default_factory=dict)
    notion_pages: dict[tuple[int, str], CachedPage] = field(default_factory=dict)
    google_accounts: dict[int, GoogleAccount] = field(default_factory=dict)
    google_events: dict[tuple[int, str], StoredEvent] = field(default_factory=dict)
    google_files: dict[tuple[int, str], StoredFile] = field(default_factory=dict)
    sequences: dict[str, int] = field(default_factory=dict)
    commits: int = 0

    def snapshot(self) -> dict[str, Any]:
        return {name: copy.deepcopy(getattr(self, name)) for name in self._tables()}

    def publish(self, tables: dict[str, Any]) -> None:
        for name, rows in tables.items():
            setattr(self, name, rows)
        self.commits += 1

    @classmethod
    def _tables(cls) -> list[str]:
        return [name for name in cls.__dataclass_fields__ if name != "commits"]


class MemoryUnitOfWork(UnitOfWork):
    def __init__(self, store: MemoryStore) -> None:
        self._store = store
        self._callbacks: list[Callable[[], Awaitable[object]]] = []
        self._bind()

    async def __aenter__(self) -> Self:
        self._bind()
        self._callbacks = []
        return self

    def _bind(self) -> None:
        """Work on a fresh copy of the committed state."""
        self._tables = self._store.snapshot()
        self.outbox = MemoryOutboxRepository(self._tables["outbox"])
        self.users = MemoryUserRepository(self._tables)
        self.profiles = MemoryProfileRepository(self._tables)
        self.credentials = MemoryCredentialRepository(self._tables)
        self.refresh_tokens = MemoryRefreshTokenRepository(self._tables)
        self.sessions = MemorySessionRepository(self._tables)
        self.grades = MemoryGradeRepository(self._tables)
        self.vacancies = MemoryVacancyRepository(self._tables)
        self.interviewers = MemoryInterviewerRepository(self._tables)
        self.currency_rates = MemoryCurrencyRateRepository(self._tables)
        self.huntflow_tokens = MemoryAtsTokenRepository(self._tables)
        self.chats = MemoryChatRepository(self._tables)
        self.telegram = MemoryTelegramRepository(self._tables)
        self.clickup_settings = MemoryClickUpSettingsRepository(self._tables)
        self.clickup_tasks = MemoryClickUpTaskRepository(self._tables)
        self.clickup_sync_logs = MemorySyncLogRepository(self._tables, SyncSource.CLICKUP)
        self.notion_settings = MemoryNotionSettingsRepository(self._tables)
        self.notion_pages = MemoryNotionPageRepository(self._tables)
        self.notion_sync_logs = MemorySyncLogRepository(self._tables, SyncSource.NOTION)
        self.google = MemoryGoogleStore(self._tables)

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.rollback()

    async def commit(self) -> None:
        self._store.publish(self._tables)
        self._bind()
        callbacks, self._callbacks = self._callbacks, []
        await run_after_commit(callbacks)

    async def rollback(self) -> None:
        self._bind()
        self._callbacks = []

    def after_commit(self, callback: Callable[[], Awaitable[object]]) -> None:
        self._callbacks.append(callback)
