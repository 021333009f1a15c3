"""The jobs the service runs in the background, shared by the dramatiq worker and the
in-process runner of the embedded mode. Each job is thin: read the payload, call one service."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

import structlog

from hrhelper.container import Container
from hrhelper.domain.errors import DomainError, OutsideServiceUnavailable, ServiceBusy
from hrhelper.domain.google.service import SYNC_GOOGLE_ACCOUNT_JOB
from hrhelper.domain.mail.outbox import DELIVER_MAIL_JOB
from hrhelper.domain.messaging.telegram import SYNC_TELEGRAM_JOB, SyncRequest
from hrhelper.domain.recruiting.bulk_import import BULK_IMPORT_JOB
from hrhelper.domain.recruiting.clickup_sync import SYNC_CLICKUP_JOB
from hrhelper.domain.recruiting.notion_sync import SYNC_NOTION_JOB

__all__ = [
    "CLICKUP_AUTO_SYNC_JOB",
    "JOBS",
    "NOTION_AUTO_SYNC_JOB",
    "REFRESH_CURRENCY_RATES_JOB",
    "REFRESH_HUNTFLOW_TOKENS_JOB",
    "RELAY_OUTBOX_JOB",
    "RESUME_BULK_IMPORTS_JOB",
    "JobSpec",
    "should_retry",
]

_log = structlog.get_logger(__name__)

RELAY_OUTBOX_JOB = "relay_outbox"
REFRESH_CURRENCY_RATES_JOB = "refresh_currency_rates"
REFRESH_HUNTFLOW_TOKENS_JOB = "refresh_huntflow_tokens"
CLICKUP_AUTO_SYNC_JOB = "clickup_auto_sync"
RESUME_BULK_IMPORTS_JOB = "resume_bulk_imports"
NOTION_AUTO_SYNC_JOB = "notion_auto_sync"

JobFn = Callable[[Container, Mapping[str, object]], Awaitable[object]]


@dataclass(frozen=True)
class JobSpec:
    name: str
    run: JobFn
    max_retries: int
    time_limit_ms: float | None = None
    """How long one run may take before the worker cancels it; None: dramatiq's default (ten
    minutes). A job that beats and is swept up when dead (a bulk import, which may wait out
    an outage for an hour) has no limit."""


def should_retry(error: BaseException) -> bool:
    """Domain errors are final (bad input, not found) except the passing ones."""
    if isinstance(error, (OutsideServiceUnavailable, ServiceBusy)):
        return True
    return not isinstance(error, DomainError)


async def _deliver_mail(container: Container, payload: Mapping[str, object]) -> object:
    return await container.mail_delivery().deliver(str(payload["mail_id"]))


async def _relay_outbox(container: Container, _payload: Mapping[str, object]) -> object:
    return await container.mail_delivery().relay()


async def _refresh_currency_rates(container: Container, _payload: Mapping[str, object]) -> str:
    """Store today's rates. A currency the bank cannot answer for keeps its last good rate; it
    is logged, and the job fails so that the queue retries it (every stored rate is final, so
    the retry only asks again)."""
    summary = await container.rate_service().refresh()
    for failure in summary.failed:
        _log.warning(
            "currency_rate_kept",
            currency=failure.currency,
            reason=failure.reason,
            kept_date=failure.kept_date.isoformat() if failure.kept_date else None,
        )
    stored = ", ".join(f"{r.currency} {r.date.isoformat()}" for r in summary.stored)
    if not summary.complete:
        missing = ", ".join(f.currency for f in summary.failed)
        raise OutsideServiceUnavailable(
            f"No new rate for {missing}; the last good rates stay in use (stored: {stored or '-'})."
        )
    return f"stored {stored}"


async def _refresh_huntflow_tokens(container: Container, _payload: Mapping[str, object]) -> object:
    return await container.huntflow_token_refresher().refresh_expiring()


async def _sync_telegram(container: Container, payload: Mapping[str, object]) -> str:
    """Store what reached the bot since the last sync (safe to repeat: rows are upserted and
    the offset is saved with each batch)."""
    days_back = payload.get("days_back", 7)
    request = SyncRequest(
        sync_chats=payload.get("sync_chats") is not False,
        sync_messages=payload.get("sync_messages") is not False,
        days_back=days_back if isinstance(days_back, int) else 7,
    )
    summary = await container.telegram_service().sync(request)
    return (
        f"{summary.updates} updates: {summary.chats} chats, {summary.messages} messages "
        f"stored, {summary.skipped} skipped"
    )


async def _sync_clickup_tasks(container: Container, payload: Mapping[str, object]) -> str:
    """One sync of a user's ClickUp list. Its outcome is in its log, so a failed sync is not
    retried here; the next one (by hand or by the scheduler) starts over."""
    user_id, log_id = int(str(payload["user_id"])), int(str(payload["log_id"]))
    log = await container.clickup_service().run_sync(user_id, log_id)
    return (
        f"{log.status.value}: processed {log.processed}, created {log.created}, "
        f"updated {log.updated}"
    )


async def _clickup_auto_sync(container: Container, _payload: Mapping[str, object]) -> str:
    queued = await container.clickup_service().queue_due_syncs()
    return f"queued {queued}"


async def _run_bulk_import(container: Container, payload: Mapping[str, object]) -> str:
    """One run of a bulk import. Safe to deliver twice: a live run holds the import, and a
    run taken over by another gives up. Its outcome is in the import, so it is not retried
    here: a run that could not even record its end is taken for dead and swept up again."""
    user_id, import_id = int(str(payload["user_id"])), int(str(payload["import_id"]))
    job = await container.bulk_import_service().run(user_id, import_id)
    if job is None:
        return "held by another run"
    return f"{job.status.value}: {job.succeeded} done, {job.skipped} skipped, {job.failed} failed"


async def _resume_bulk_imports(container: Container, _payload: Mapping[str, object]) -> str:
    return f"queued {await container.bulk_import_service().resume_stale()}"


async def _sync_notion_pages(container: Container, payload: Mapping[str, object]) -> str:
    """One sync of a user's Notion database; like ClickUp's, its outcome is in its log."""
    user_id, log_id = int(str(payload["user_id"])), int(str(payload["log_id"]))
    log = await container.notion_sync().run(user_id, log_id)
    return (
        f"{log.status.value}: processed {log.processed}, created {log.created}, "
        f"updated {log.updated}"
    )


async def _notion_auto_sync(container: Container, _payload: Mapping[str, object]) -> str:
    queued = await container.notion_service().queue_due_syncs()
    return f"queued {queued}"


async def _sync_google_account(container: Container, payload: Mapping[str, object]) -> object:
    account_id = int(str(payload["account_id"]))
    sync = container.google_sync()
    return await sync.sync(
        account_id, calendar=bool(payload["calendar"]), drive=bool(payload["drive"])
    )


JOBS: tuple[JobSpec, ...] = (
    JobSpec(DELIVER_MAIL_JOB, _deliver_mail, max_retries=8),
    JobSpec(RELAY_OUTBOX_JOB, _relay_outbox, max_retries=0),
    JobSpec(REFRESH_CURRENCY_RATES_JOB, _refresh_currency_rates, max_retries=3),
    JobSpec(REFRESH_HUNTFLOW_TOKENS_JOB, _refresh_huntflow_tokens, max_retries=0),
    JobSpec(SYNC_TELEGRAM_JOB, _sync_telegram, max_retries=3),
    JobSpec(SYNC_CLICKUP_JOB, _sync_clickup_tasks, max_retries=0),
    JobSpec(CLICKUP_AUTO_SYNC_JOB, _clickup_auto_sync, max_retries=0),
    JobSpec(SYNC_NOTION_JOB, _sync_notion_pages, max_retries=0),
    JobSpec(NOTION_AUTO_SYNC_JOB, _notion_auto_sync, max_retries=0),
    JobSpec(SYNC_GOOGLE_ACCOUNT_JOB, _sync_google_account, max_retries=3),
    JobSpec(BULK_IMPORT_JOB, _run_bulk_import, max_retries=0, time_limit_ms=float("inf")),
    JobSpec(RESUME_BULK_IMPORTS_JOB, _resume_bulk_imports, max_retries=0),
)
