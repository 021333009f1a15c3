"""Persistence: one unit of work per use case, exposing the repositories it needs.

Transactional: nothing a repository does is kept until ``commit``; leaving the ``async with``
block without committing rolls back. Callbacks registered with ``after_commit`` run only after a
successful commit (to enqueue jobs that must see the committed rows).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Protocol

from hrhelper.domain.mail.outbox import OutgoingMail
from hrhelper.ports.ats import AtsTokenRepository
from hrhelper.ports.chat import ChatRepository
from hrhelper.ports.clickup_cache import ClickUpSettingsRepository, ClickUpTaskRepository
from hrhelper.ports.google_store import GoogleStore
from hrhelper.ports.identity import (
    CredentialRepository,
    ProfileRepository,
    RefreshTokenRepository,
    SessionRepository,
    UserRepository,
)
from hrhelper.ports.notion_cache import NotionPageRepository, NotionSettingsRepository
from hrhelper.ports.rates import CurrencyRateRepository
from hrhelper.ports.sync_logs import SyncLogRepository
from hrhelper.ports.telegram import TelegramRepository
from hrhelper.ports.transaction import Transaction
from hrhelper.ports.vacancies import GradeRepository, InterviewerRepository, VacancyRepository

__all__ = ["OutboxRepository", "UnitOfWork", "UnitOfWorkFactory"]


class OutboxRepository(Protocol):
    """Mail waiting to be delivered; rows are written in the transaction of the change."""

    async def add(self, mail: OutgoingMail) -> None: ...

    async def get(self, mail_id: str) -> OutgoingMail | None: ...

    async def claim(
        self, mail_id: str, now: datetime, lease_until: datetime
    ) -> OutgoingMail | None:
        """Atomically take a pending (or abandoned: lease expired) mail for sending, counting
        the attempt. ``None`` when it is sent, dead, claimed by someone else or unknown."""
        ...

    async def mark_sent(self, mail_id: str, at: datetime) -> None: ...

    async def release(self, mail_id: str, error: str, *, dead: bool) -> None:
        """Give a claimed mail back after a failed attempt (or bury it when ``dead``)."""
        ...

    async def due(self, now: datetime, created_before: datetime, limit: int) -> Sequence[str]:
        """Ids of mail that should be (re)sent: pending and older than ``created_before``, or
        claimed with an expired lease. Used by the relay that catches lost jobs."""
        ...


class UnitOfWork(Transaction, Protocol):
    outbox: OutboxRepository
    users: UserRepository
    profiles: ProfileRepository
    credentials: CredentialRepository
    refresh_tokens: RefreshTokenRepository
    sessions: SessionRepository
    grades: GradeRepository
    vacancies: VacancyRepository
    interviewers: InterviewerRepository
    currency_rates: CurrencyRateRepository
    huntflow_tokens: AtsTokenRepository
    chats: ChatRepository
    telegram: TelegramRepository
    clickup_settings: ClickUpSettingsRepository
    clickup_tasks: ClickUpTaskRepository
    clickup_sync_logs: SyncLogRepository
    notion_settings: NotionSettingsRepository
    notion_pages: NotionPageRepository
    notion_sync_logs: SyncLogRepository
    google: GoogleStore

    async def rollback(self) -> None: ...


UnitOfWorkFactory = Callable[[], UnitOfWork]
