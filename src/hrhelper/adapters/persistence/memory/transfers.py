"""The transfer ledger in a dict: each call is atomic (no await inside)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from hrhelper.ports.transfers import TransferKey, TransferLedger, TransferRecord, TransferStep

__all__ = ["MemoryTransferLedger"]


class MemoryTransferLedger(TransferLedger):
    def __init__(self) -> None:
        self.records: dict[TransferKey, TransferRecord] = {}

    async def get(self, key: TransferKey) -> TransferRecord | None:
        return self.records.get(key)

    async def claim(
        self, key: TransferKey, owner: str, now: datetime, lease_until: datetime
    ) -> TransferRecord | None:
        record = self.records.get(key)
        if record is None:
            record = TransferRecord(key, TransferStep.CLAIMED, updated_at=now)
        elif record.owner is not None and record.lease_until and record.lease_until > now:
            return None
        record = replace(record, owner=owner, lease_until=lease_until, updated_at=now)
        self.records[key] = record
        return record

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
        record = self.records.get(key)
        if record is None or record.owner != owner:
            return False
        self.records[key] = replace(
            record,
            step=step,
            applicant_id=record.applicant_id if applicant_id is None else applicant_id,
            vacancy_id=record.vacancy_id if vacancy_id is None else vacancy_id,
            updated_at=now,
        )
        return True

    async def release(self, key: TransferKey, owner: str) -> None:
        record = self.records.get(key)
        if record is not None and record.owner == owner:
            self.records[key] = replace(record, owner=None, lease_until=None)
