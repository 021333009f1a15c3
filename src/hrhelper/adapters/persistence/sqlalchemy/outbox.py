from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hrhelper.adapters.persistence.sqlalchemy.tables import mail_outbox as t
from hrhelper.domain.mail.outbox import MailStatus, OutgoingMail
from hrhelper.ports.persistence import OutboxRepository

__all__ = ["SqlOutboxRepository"]


def _to_mail(row: Any) -> OutgoingMail:
    return OutgoingMail(
        id=row.id,
        to=row.recipient,
        subject=row.subject,
        body=row.body,
        created_at=row.created_at,
        status=MailStatus(row.status),
        attempts=row.attempts,
        last_error=row.last_error,
        claimed_until=row.claimed_until,
        sent_at=row.sent_at,
    )


class SqlOutboxRepository(OutboxRepository):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, mail: OutgoingMail) -> None:
        await self._session.execute(
            insert(t).values(
                id=mail.id,
                recipient=mail.to,
                subject=mail.subject,
                body=mail.body,
                status=mail.status.value,
                attempts=mail.attempts,
                last_error=mail.last_error,
                created_at=mail.created_at,
                claimed_until=mail.claimed_until,
                sent_at=mail.sent_at,
            )
        )

    async def get(self, mail_id: str) -> OutgoingMail | None:
        row = (await self._session.execute(select(t).where(t.c.id == mail_id))).first()
        return _to_mail(row) if row else None

    async def claim(
        self, mail_id: str, now: datetime, lease_until: datetime
    ) -> OutgoingMail | None:
        # One conditional UPDATE: whoever matches the row first owns it until the lease ends.
        stmt = (
            update(t)
            .where(
                t.c.id == mail_id,
                or_(
                    t.c.status == MailStatus.PENDING.value,
                    and_(t.c.status == MailStatus.SENDING.value, t.c.claimed_until < now),
                ),
            )
            .values(
                status=MailStatus.SENDING.value,
                claimed_until=lease_until,
                attempts=t.c.attempts + 1,
            )
            .returning(*t.c)
        )
        row = (await self._session.execute(stmt)).first()
        return _to_mail(row) if row else None

    async def mark_sent(self, mail_id: str, at: datetime) -> None:
        await self._session.execute(
            update(t)
            .where(t.c.id == mail_id)
            .values(status=MailStatus.SENT.value, sent_at=at, claimed_until=None, last_error="")
        )

    async def release(self, mail_id: str, error: str, *, dead: bool) -> None:
        status = MailStatus.DEAD if dead else MailStatus.PENDING
        await self._session.execute(
            update(t)
            .where(t.c.id == mail_id)
            .values(status=status.value, claimed_until=None, last_error=error[:2000])
        )

    async def due(self, now: datetime, created_before: datetime, limit: int) -> Sequence[str]:
        stmt = (
            select(t.c.id)
            .where(
                or_(
                    and_(t.c.status == MailStatus.PENDING.value, t.c.created_at < created_before),
                    and_(t.c.status == MailStatus.SENDING.value, t.c.claimed_until < now),
                )
            )
            .order_by(t.c.created_at)
            .limit(limit)
        )
        return list((await self._session.execute(stmt)).scalars())
