"""What the candidate transfer needs besides the ATS: its ledger and the card's files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from hrhelper.domain.recruiting.card import Attachment

__all__ = ["AttachmentFetcher", "TransferKey", "TransferLedger", "TransferRecord", "TransferStep"]


class TransferStep(StrEnum):
    """How far a card's transfer got, in order."""

    CLAIMED = "claimed"
    """Started; nothing was created in the ATS yet."""
    CREATING = "creating"
    """The applicant was about to be created: it may exist; look it up before creating."""
    CREATED = "created"
    """The applicant exists (``applicant_id``), not yet on the vacancy."""
    BOUND = "bound"
    """On the vacancy with its comment: done."""


@dataclass(frozen=True)
class TransferKey:
    """One card going to one Huntflow organisation of one user."""

    user_id: int
    source: str
    """``clickup`` | ``notion``"""
    source_id: str
    account_id: int


@dataclass(frozen=True)
class TransferRecord:
    key: TransferKey
    step: TransferStep
    applicant_id: int | None = None
    vacancy_id: int | None = None
    owner: str | None = None
    """The attempt that holds the record now; ``None`` when no attempt does."""
    lease_until: datetime | None = None
    updated_at: datetime | None = None


class TransferLedger(Protocol):
    """Transfers by key, shared by every worker. Each call is atomic on its own (no unit of
    work): an attempt claims the key, records each step as it completes, and releases it."""

    async def get(self, key: TransferKey) -> TransferRecord | None: ...

    async def claim(
        self, key: TransferKey, owner: str, now: datetime, lease_until: datetime
    ) -> TransferRecord | None:
        """Hold the key for the attempt ``owner`` until ``lease_until``: create the record
        (step CLAIMED), or take it when no attempt holds it or its holder's lease ran out.
        ``None`` when another attempt holds it."""
        ...

    async def advance(
        self,
        key: TransferKey,
        owner: str,
        step: TransferStep,
        now: datetime,
        *,
        applicant_id: int | None = None,
        vacancy_id: int | None = None,
    ) -> bool:
        """Record a step (and the ids given; ``None`` keeps the stored one) if ``owner``
        still holds the key; False when it lost it."""
        ...

    async def release(self, key: TransferKey, owner: str) -> None:
        """Let other attempts claim the key (no-op unless ``owner`` holds it)."""
        ...


class AttachmentFetcher(Protocol):
    async def fetch(self, attachment: Attachment) -> bytes:
        """The file's content. OutsideServiceUnavailable when it cannot be downloaded now,
        InvalidInput when it is too large."""
        ...
