"""Bodies of the transfer and bulk import endpoints (ClickUp and Notion alike)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated

import msgspec

from hrhelper.domain.recruiting.bulk_import_model import BulkImport, ImportItem
from hrhelper.domain.recruiting.transfer import TransferResult

__all__ = [
    "BulkImportDetailOut",
    "BulkImportOut",
    "CurrentItemOut",
    "ImportItemOut",
    "ProgressOut",
    "TransferIn",
    "TransferOut",
]

HuntflowId = Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1, examples=[123])]


class TransferIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    account_id: HuntflowId
    vacancy_id: HuntflowId


class TransferOut(msgspec.Struct):
    success: bool
    message: str
    source_id: str
    applicant_id: int
    account_id: int
    vacancy_id: int
    status_id: int
    created: bool
    """False when the card was linked to an applicant already in Huntflow."""
    file_id: int | None
    doubles: list[int]

    @classmethod
    def of(cls, source_id: str, result: TransferResult) -> TransferOut:
        return cls(
            success=True,
            message="Кандидат перенесён в Huntflow"
            if result.created
            else "Кандидат связан с существующим в Huntflow",
            source_id=source_id,
            applicant_id=result.applicant_id,
            account_id=result.account_id,
            vacancy_id=result.vacancy_id,
            status_id=result.status_id,
            created=result.created,
            file_id=result.file_id,
            doubles=list(result.doubles),
        )


class CurrentItemOut(msgspec.Struct):
    id: str
    title: str | None


class BulkImportOut(msgspec.Struct):
    id: int
    source: str
    status: str
    account_id: int
    vacancy_id: int
    sync_settings: bool
    delay_seconds: float
    max_items: int
    total: int
    processed: int
    succeeded: int
    skipped: int
    failed: int
    percentage: float
    current_item: CurrentItemOut | None
    stop_requested: bool
    runs: int
    error: str | None
    """Why the import failed (its items could not be listed, an outage outlasted the wait)."""
    pause_reason: str | None
    """While the run waits out an outage of Huntflow or the source: what is out of reach."""
    paused_until: datetime | None
    """When the paused run tries the item again."""
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @classmethod
    def of(cls, job: BulkImport) -> BulkImportOut:
        current = None
        if job.current_item is not None:
            current = CurrentItemOut(job.current_item, job.current_title)
        return cls(
            id=job.id or 0,
            source=job.source,
            status=job.status.value,
            account_id=job.account_id,
            vacancy_id=job.vacancy_id,
            sync_settings=job.sync_settings,
            delay_seconds=job.delay_s,
            max_items=job.max_items,
            total=job.total,
            processed=job.processed,
            succeeded=job.succeeded,
            skipped=job.skipped,
            failed=job.failed,
            percentage=job.percentage,
            current_item=current,
            stop_requested=job.stop_requested,
            runs=job.runs,
            error=job.error,
            pause_reason=job.pause_reason,
            paused_until=job.paused_until,
            created_at=job.created_at,
            started_at=job.started_at,
            finished_at=job.finished_at,
        )


class ImportItemOut(msgspec.Struct):
    source_id: str
    title: str
    status: str
    reason: str | None
    applicant_id: int | None
    created: bool | None
    finished_at: datetime | None

    @classmethod
    def of(cls, item: ImportItem) -> ImportItemOut:
        return cls(
            item.source_id,
            item.title,
            item.status.value,
            item.reason,
            item.applicant_id,
            item.created,
            item.finished_at,
        )


class BulkImportDetailOut(BulkImportOut):
    items: list[ImportItemOut] = msgspec.field(default_factory=list)


class ProgressOut(msgspec.Struct):
    id: int
    status: str
    total: int
    processed: int
    succeeded: int
    skipped: int
    failed: int
    percentage: float
    current_item: CurrentItemOut | None
    pause_reason: str | None
    """While the run waits out an outage of Huntflow or the source: what is out of reach."""
    paused_until: datetime | None
    error: str | None
    started_at: datetime | None
    finished_at: datetime | None
    eta_seconds: float | None
    """Time left at the pace so far; null unless running."""

    @classmethod
    def of(cls, job: BulkImport, eta: timedelta | None) -> ProgressOut:
        base = BulkImportOut.of(job)
        return cls(
            id=base.id,
            status=base.status,
            total=base.total,
            processed=base.processed,
            succeeded=base.succeeded,
            skipped=base.skipped,
            failed=base.failed,
            percentage=base.percentage,
            current_item=base.current_item,
            pause_reason=base.pause_reason,
            paused_until=base.paused_until,
            error=base.error,
            started_at=base.started_at,
            finished_at=base.finished_at,
            eta_seconds=round(eta.total_seconds(), 1) if eta is not None else None,
        )
