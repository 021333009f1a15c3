"""Small fakes of ports for domain tests: state you can assert on, no mocks."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from hrhelper.ports.jobs import JobRef
from hrhelper.ports.mail import MailDeliveryFailed, MailMessage

__all__ = ["FakeClock", "FlakyMailer", "RecordingJobQueue"]


@dataclass
class FakeClock:
    current: datetime = field(default_factory=lambda: datetime(2026, 1, 15, 9, 0, tzinfo=UTC))

    def now(self) -> datetime:
        return self.current

    def advance(self, delta: timedelta) -> None:
        self.current += delta

    def advance_seconds(self, seconds: float) -> None:
        self.current += timedelta(seconds=seconds)


@dataclass
class FlakyMailer:
    """Fails according to ``script`` (one entry per attempt: None = accept, "transient",
    "permanent"), then accepts. Records what was accepted."""

    script: list[str | None] = field(default_factory=list)
    accepted: list[MailMessage] = field(default_factory=list)

    async def send(self, message: MailMessage) -> None:
        outcome = self.script.pop(0) if self.script else None
        if outcome == "transient":
            raise MailDeliveryFailed("451 try again later")
        if outcome == "permanent":
            raise MailDeliveryFailed("550 no such mailbox", permanent=True)
        self.accepted.append(message)


@dataclass
class RecordingJobQueue:
    enqueued: list[tuple[str, dict[str, object]]] = field(default_factory=list)

    async def enqueue(
        self, job: str, payload: Mapping[str, object], *, delay_ms: int = 0
    ) -> JobRef:
        self.enqueued.append((job, dict(payload)))
        return str(len(self.enqueued))
