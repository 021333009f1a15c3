from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime

from hrhelper.domain.mail.outbox import MailStatus, OutgoingMail
from hrhelper.ports.persistence import OutboxRepository

__all__ = ["MemoryOutboxRepository"]


class MemoryOutboxRepository(OutboxRepository):
    def __init__(self, rows: dict[str, OutgoingMail]) -> None:
        self._rows = rows

    async def add(self, mail: OutgoingMail) -> None:
        self._rows[mail.id] = dataclasses.replace(mail)

    async def get(self, mail_id: str) -> OutgoingMail | None:
        row = self._rows.get(mail_id)
        return dataclasses.replace(row) if row else None

    async def claim(
        self, mail_id: str, now: datetime, lease_until: datetime
    ) -> OutgoingMail | None:
        row = self._rows.get(mail_id)
        if row is None:
            return None
        abandoned = (
            row.status is MailStatus.SENDING
            and row.claimed_until is not None
            and row.claimed_until < now
        )
        if row.status is not MailStatus.PENDING and not abandoned:
            return None
        row.status, row.claimed_until, row.attempts = (
            MailStatus.SENDING,
            lease_until,
            row.attempts + 1,
        )
        return dataclasses.replace(row)

    async def mark_sent(self, mail_id: str, at: datetime) -> None:
        row = self._rows[mail_id]
        row.status, row.sent_at, row.claimed_until, row.last_error = MailStatus.SENT, at, None, ""

    async def release(self, mail_id: str, error: str, *, dead: bool) -> None:
        row = self._rows[mail_id]
        row.status = MailStatus.DEAD if dead else MailStatus.PENDING
        row.claimed_until, row.last_error = None, error

    async def due(self, now: datetime, created_before: datetime, limit: int) -> Sequence[str]:
        due = [
            row
            for row in self._rows.values()
            if (row.status is MailStatus.PENDING and row.created_at < created_before)
            or (
                row.status is MailStatus.SENDING
                and row.claimed_until is not None
                and row.claimed_until < now
            )
        ]
        due.sort(key=lambda row: row.created_at)
        return [row.id for row in due[:limit]]
