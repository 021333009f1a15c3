"""The periodic refresh of Huntflow token pairs that are about to expire."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from hrhelper.domain.errors import DomainError
from hrhelper.ports.ats import AtsConnector
from hrhelper.ports.clock import Clock
from hrhelper.ports.persistence import UnitOfWorkFactory

__all__ = ["RefreshReport", "TokenRefresher"]


@dataclass(frozen=True)
class RefreshReport:
    refreshed: int
    failed: int


class TokenRefresher:
    """Refreshes every stored pair whose access token expires within ``within`` (a day), so a
    user who is away for a week still finds a live pair. Each refresh takes the pair's lock
    and stores the rotated pair; a pair that fails (a spent or revoked refresh token, Huntflow
    down) is counted and tried again on the next run."""

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        connector: AtsConnector,
        clock: Clock,
        *,
        within: timedelta = timedelta(days=1),
        batch: int = 200,
    ) -> None:
        self._uow_factory = uow_factory
        self._connector = connector
        self._clock = clock
        self._within = within
        self._batch = batch

    async def refresh_expiring(self) -> RefreshReport:
        async with self._uow_factory() as uow:
            due = await uow.huntflow_tokens.expiring(self._clock.now() + self._within, self._batch)
        refreshed = failed = 0
        for user_id, system in due:
            try:
                await self._connector.refresh(user_id, system)
            except DomainError:
                failed += 1
            else:
                refreshed += 1
        return RefreshReport(refreshed, failed)
