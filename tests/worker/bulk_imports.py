"""What the bulk-import end-to-end tests of every source share: the two scenarios (stopped,
resumed and a failed card retried; a worker killed mid-transfer and the import resumed by the
sweep) and their pieces."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from hrhelper.container import Container
from hrhelper.domain.recruiting.bulk_import import BulkImportService, ImportRequest
from hrhelper.domain.recruiting.bulk_import_model import BulkImport, ImportStatus, ItemStatus
from hrhelper.entrypoints.jobs import RESUME_BULK_IMPORTS_JOB
from tests.fakes.huntflow import FakeHuntflow
from tests.worker.worker_process import WorkerProcess, eventually


async def until(
    sut: BulkImportService,
    source: str,
    user_id: int,
    import_id: int,
    done: Callable[[BulkImport], bool],
    worker: WorkerProcess,
) -> BulkImport:
    async def probe() -> BulkImport | None:
        job = await sut.get(user_id, source, import_id)
        return job if done(job) else None

    # each card costs a dozen calls to the fakes: allow for a machine under load
    return await eventually(probe, f"import {import_id}", within=60, worker=worker)


async def kill_while_a_create_is_late(huntflow: FakeHuntflow, worker: WorkerProcess) -> None:
    """Make Huntflow create the next applicant but answer late, and SIGKILL ``worker`` while
    it waits for that answer."""
    creates = len(huntflow.requests("POST", "/accounts/1/applicants"))
    huntflow.delay_next("/accounts/1/applicants", 3.0, method="POST")

    async def create_arrived() -> bool | None:
        return len(huntflow.requests("POST", "/accounts/1/applicants")) > creates or None

    await eventually(create_arrived, "the next applicant's creation", worker=worker)
    worker.process.kill()
    worker.process.wait(timeout=10)


async def resumed_by_the_sweep(
    container: Container,
    sut: BulkImportService,
    source: str,
    user_id: int,
    import_id: int,
    worker: WorkerProcess,
) -> BulkImport:
    """Run the scheduler's sweep on ``worker`` until the import has finished."""

    async def finished() -> BulkImport | None:
        job = await sut.get(user_id, source, import_id)
        if job.status.finished:
            return job
        await container.job_queue().enqueue(RESUME_BULK_IMPORTS_JOB, {})
        return None

    return await eventually(finished, "the import to be resumed", within=25, worker=worker)


def assert_one_applicant_per_card(huntflow: FakeHuntflow, count: int) -> None:
    """Cards ``n`` carry the address ``p{n}@example.com``."""
    emails = Counter(a["email"] for a in huntflow.applicants.values())
    for n in range(count):
        assert emails[f"p{n}@example.com"] == 1, n
    assert len(huntflow.applicants) == count + 1  # and the one the fake holds from the start


async def stopped_resumed_and_retried(
    sut: BulkImportService,
    source: str,
    user_id: int,
    huntflow: FakeHuntflow,
    worker: WorkerProcess,
    *,
    total: int,
    stop_after: int,
    failing: str,
) -> None:
    """Import ``total`` cards, stop once ``stop_after`` are processed, resume, and retry the
    card ``failing`` (which the source refuses once): one applicant per card in the end."""
    # When an import of every card starts and is stopped midway
    job = await sut.start(user_id, source, ImportRequest(1, 101, delay_s=0, max_items=500))
    import_id = job.id or 0
    await until(sut, source, user_id, import_id, lambda j: j.processed >= stop_after, worker)
    await sut.stop(user_id, source, import_id)
    stopped = await until(sut, source, user_id, import_id, lambda j: j.status.finished, worker)
    # Then it stops before its next card, with the rest pending
    assert stopped.status is ImportStatus.STOPPED
    assert (stopped.total, stopped.failed) == (total, 0)
    assert stop_after <= stopped.processed < total
    assert len(huntflow.applicants) == stopped.processed + 1
    # When it is resumed, it goes on and ends with the one failing card named
    await sut.retry_failed(user_id, source, import_id)
    ended = await until(sut, source, user_id, import_id, lambda j: j.status.finished, worker)
    assert (ended.status, ended.succeeded, ended.failed) == (ImportStatus.COMPLETED, total - 1, 1)
    failed = [i for i in await sut.items(user_id, source, import_id) if i.reason]
    assert [(i.source_id, i.status) for i in failed] == [(failing, ItemStatus.FAILED)]
    # When the failed card is retried, it goes through
    await sut.retry_failed(user_id, source, import_id)
    final = await until(sut, source, user_id, import_id, lambda j: j.status.finished, worker)
    assert (final.status, final.succeeded, final.failed, final.runs) == (
        ImportStatus.COMPLETED,
        total,
        0,
        3,
    )
    # Then every card has exactly one applicant
    assert_one_applicant_per_card(huntflow, total)


async def killed_mid_transfer_and_resumed(
    container: Container,
    source: str,
    user_id: int,
    huntflow: FakeHuntflow,
    worker: WorkerProcess,
    start_second: Callable[[], WorkerProcess],
    *,
    total: int,
    kill_after: int,
) -> WorkerProcess:
    """Import ``total`` cards, SIGKILL ``worker`` once ``kill_after`` are processed while
    Huntflow creates the next applicant but answers late, and let the sweep on a second
    worker (answered) finish: every card done once, the late applicant linked."""
    sut = container.bulk_import_service()
    job = await sut.start(user_id, source, ImportRequest(1, 101, delay_s=0, max_items=total))
    import_id = job.id or 0
    await until(sut, source, user_id, import_id, lambda j: j.processed >= kill_after, worker)
    await kill_while_a_create_is_late(huntflow, worker)
    left = await sut.get(user_id, source, import_id)
    assert left.status is ImportStatus.RUNNING
    assert left.processed < total
    # a new worker runs the scheduler's sweep once the import looks dead
    second = start_second()
    final = await resumed_by_the_sweep(container, sut, source, user_id, import_id, second)
    # every card done once, none skipped or lost
    assert (final.status, final.succeeded, final.skipped, final.failed) == (
        ImportStatus.COMPLETED,
        total,
        0,
        0,
    )
    assert final.runs >= 2
    # and the applicant created as the worker died is linked, not created again
    assert_one_applicant_per_card(huntflow, total)
    return second
