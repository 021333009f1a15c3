"""The mail outbox: a mail is a row written in the same transaction as the change it reports."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from hrhelper.ports.clock import Clock
from hrhelper.ports.jobs import JobQueue

if TYPE_CHECKING:  # the UnitOfWork port imports this module for OutgoingMail
    from hrhelper.ports.persistence import UnitOfWork

__all__ = ["DELIVER_MAIL_JOB", "MailOutbox", "MailStatus", "OutgoingMail"]

DELIVER_MAIL_JOB = "deliver_mail"


class MailStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    DEAD = "dead"


@dataclass
class OutgoingMail:
    id: str
    to: str
    subject: str
    body: str
    created_at: datetime
    status: MailStatus = MailStatus.PENDING
    attempts: int = 0
    last_error: str = ""
    claimed_until: datetime | None = None
    sent_at: datetime | None = field(default=None)

    @property
    def message_id(self) -> str:
        """Stable across retries, so a receiving server can drop a duplicate."""
        return f"<{self.id}@hrhelper.outbox>"


class MailOutbox:
    """Queues mail inside the caller's unit of work.

    - The row is added to ``uow.outbox``: it commits or rolls back with the change.
    - After the commit, a delivery job is enqueued; if that enqueue is lost (broker down),
      the relay finds the row later, so no mail is lost.
    """

    def __init__(self, jobs: JobQueue, clock: Clock) -> None:
        self._jobs = jobs
        self._clock = clock

    async def put(self, uow: UnitOfWork, *, to: str, subject: str, body: str) -> OutgoingMail:
        mail = OutgoingMail(
            id=uuid.uuid4().hex, to=to, subject=subject, body=body, created_at=self._clock.now()
        )
        await uow.outbox.add(mail)
        uow.after_commit(lambda: self._jobs.enqueue(DELIVER_MAIL_JOB, {"mail_id": mail.id}))
        return mail
