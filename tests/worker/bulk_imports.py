"""What the bulk-import end-to-end tests of every source share: waiting on an import, killing
a worker while Huntflow answers a create late, resuming through the sweep, and counting
applicants."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from hrhelper.container import Container
from hrhelper.domain.recruiting.bulk_import import BulkImportService
from hrhelper.domain.recruiting.bulk_import_model import BulkImport
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
