from __future__ import annotations

from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Self

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hrhelper.adapters.persistence.after_commit import run_after_commit
from hrhelper.adapters.persistence.sqlalchemy.chat import SqlChatRepository
from hrhelper.adapters.persistence.sqlalchemy.clickup import (
    SqlClickUpSettingsRepository,
    SqlClickUpTaskRepository,
)
from hrhelper.adapters.persistence.sqlalchemy.errors import translate_db_error
from hrhelper.adapters.persistence.sqlalchemy.google import SqlGoogleStore
from hrhelper.adapters.persistence.sqlalchemy.huntflow import SqlAtsTokenRepository
from hrhelper.adapters.persistence.sqlalchemy.identity import (
    SqlCredentialRepository,
    SqlProfileRepository,
    SqlRefreshTokenRepository,
    SqlSessionRepository,
    SqlUserRepository,
)
from hrhelper.adapters.persistence.sqlalchemy.notion import (
    SqlNotionPageRepository,
    SqlNotionSettingsRepository,
)
from hrhelper.adapters.persistence.sqlalchemy.outbox import SqlOutboxRepository
from hrhelper.adapters.persistence.sqlalchemy.rates import SqlCurrencyRateRepository
from hrhelper.adapters.persistence.sqlalchemy.sync_logs import SqlSyncLogRepository
from hrhelper.adapters.persistence.sqlalchemy.telegram import SqlTelegramRepository
from hrhelper.adapters.persistence.sqlalchemy.vacancies import (
    SqlGradeRepository,
    SqlInterviewerRepository,
    SqlVacancyRepository,
)
from hrhelper.domain.recruiting.sync_log import SyncSource
from hrhelper.ports.persistence import UnitOfWork

__all__ = ["SqlUnitOfWork"]


class SqlUnitOfWork(UnitOfWork):
    """One session and one transaction per use case; rollback unless committed."""

    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._session_factory = session_factory
        self._callbacks: list[Callable[[], Awaitable[object]]] = []

    async def __aenter__(self) -> Self:
        self.session = self._session_factory()
        self._callbacks = []
        self.outbox = SqlOutboxRepository(self.session)
        self.users = SqlUserRepository(self.session)
        self.profiles = SqlProfileRepository(self.session)
        self.credentials = SqlCredentialRepository(self.session)
        self.refresh_tokens = SqlRefreshTokenRepository(self.session)
        self.sessions = SqlSessionRepository(self.session)
        self.grades = SqlGradeRepository(self.session)
        self.vacancies = SqlVacancyRepository(self.session)
        self.interviewers = SqlInterviewerRepository(self.session)
        self.currency_rates = SqlCurrencyRateRepository(self.session)
        self.huntflow_tokens = SqlAtsTokenRepository(self.session)
        self.chats = SqlChatRepository(self.session)
        self.telegram = SqlTelegramRepository(self.session)
        self.clickup_settings = SqlClickUpSettingsRepository(self.session)
        self.clickup_tasks = SqlClickUpTaskRepository(self.session)
        self.clickup_sync_logs = SqlSyncLogRepository(self.session, SyncSource.CLICKUP)
        self.notion_settings = SqlNotionSettingsRepository(self.session)
        self.notion_pages = SqlNotionPageRepository(self.session)
        self.notion_sync_logs = SqlSyncLogRepository(self.session, SyncSource.NOTION)
        self.google = SqlGoogleStore(self.session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # Detach what was loaded before rolling back: a rollback expires loaded entities, and
        # read-only use cases return them after the block.
        self.session.expunge_all()
        try:
            await self.rollback()
        except DBAPIError:
            pass  # the connection is gone; closing the session discards it
        finally:
            await self.session.close()
        if isinstance(exc, DBAPIError):
            translated = translate_db_error(exc)
            if translated is not None:
                raise translated from exc

    async def commit(self) -> None:
        try:
            await self.session.commit()
        except DBAPIError as error:
            translated = translate_db_error(error)
            if translated is None:
                raise
            raise translated from error
        await run_after_commit(self._callbacks)
        self._callbacks = []

    async def rollback(self) -> None:
        """Discard uncommitted work. After a commit there is none, and a rollback would expire
        the loaded entities the use case is about to return."""
        self._callbacks = []
        if self.session.in_transaction():
            await self.session.rollback()

    def after_commit(self, callback: Callable[[], Awaitable[object]]) -> None:
        self._callbacks.append(callback)
