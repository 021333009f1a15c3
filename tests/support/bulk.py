"""An in-memory import source, a sleeping clock and a whole bulk import over in-memory
adapters, for domain tests."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from hrhelper.adapters.persistence.memory.bulk_imports import MemoryBulkImportStore
from hrhelper.adapters.persistence.memory.transfers import MemoryTransferLedger
from hrhelper.domain.errors import InvalidInput, OutsideServiceError
from hrhelper.domain.recruiting.bulk_import import BULK_IMPORT_JOB, BulkImportService
from hrhelper.domain.recruiting.bulk_import_model import SourceItem
from hrhelper.domain.recruiting.bulk_import_run import ImportRunner, Pacing
from hrhelper.domain.recruiting.card import CandidateCard, CardSource
from hrhelper.domain.recruiting.transfer import TransferService
from hrhelper.ports.bulk_imports import SourceCard
from tests.support.ats import FakeAts, FakeConnector, FakeFiles, Outages, Step, WorkerCrash
from tests.support.fakes import FakeClock, RecordingJobQueue

__all__ = ["FakeSource", "SleepingClock", "World", "create_card", "create_world", "run_queued"]


def create_card(item_id: str) -> CandidateCard:
    """A card Huntflow can take: a name, an email to find it by, a profile link."""
    return CandidateCard(
        source=CardSource.CLICKUP,
        source_id=item_id,
        source_url=f"https://app.clickup.com/t/{item_id}",
        title=f"Last{item_id} First",
        description=(
            f"<p>Email: {item_id}@example.com</p>"
            f"<p>https://www.linkedin.com/in/person-{item_id}</p>"
        ),
    )


@dataclass
class FakeSource:
    """Items by id; ``failing`` counts how many more times an item's card cannot be read;
    ``crash_at`` lists the calls (counted from 1) at which the worker dies; during
    ``outages`` listing and reading cards fail as ClickUp out of reach."""

    ids: Sequence[str]
    kind: str = "clickup"
    failing: dict[str, int] = field(default_factory=dict)
    crash_at: set[int] = field(default_factory=set)
    configured: bool = True
    calls: int = 0
    marked: list[str] = field(default_factory=list)
    outages: Outages = field(default_factory=lambda: Outages("ClickUp"))

    def _call(self) -> None:
        self.calls += 1
        if self.calls in self.crash_at:
            raise WorkerCrash

    async def check(self, user_id: int) -> None:
        if not self.configured:
            raise InvalidInput.for_fields({"clickup_api_key": ["Set it."]}, "No key.")

    async def items(self, user_id: int, limit: int, *, live: bool) -> Sequence[SourceItem]:
        self._call()
        self.outages.check()
        return [SourceItem(i, f"Last{i} First") for i in self.ids[:limit]]

    async def card(self, user_id: int, item_id: str) -> SourceCard:
        self._call()
        self.outages.check()
        if self.failing.get(item_id, 0) > 0:
            self.failing[item_id] -= 1
            raise OutsideServiceError(f"The task {item_id} cannot be read.")
        return SourceCard(create_card(item_id))

    async def mark_transferred(self, user_id: int, item_id: str) -> None:
        self._call()
        self.marked.append(item_id)


@dataclass
class SleepingClock(FakeClock):
    """A fake clock whose ``sleep`` moves time on (and lets a test act at each sleep)."""

    slept: list[float] = field(default_factory=list)
    on_sleep: Callable[[int], Awaitable[None]] | None = None

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.advance(timedelta(seconds=seconds))
        if self.on_sleep is not None:
            await self.on_sleep(len(self.slept))


USER, ACCOUNT, VACANCY = 7, 1, 101
LEASE = timedelta(minutes=10)
PACING = Pacing(
    stale_after=timedelta(minutes=2),
    busy_retry_s=30.0,
    busy_attempts=40,
    outage_retry_s=5.0,
    outage_max_retry_s=60.0,
    outage_give_up=timedelta(hours=1),
)


@dataclass
class World:
    sut: BulkImportService
    store: MemoryBulkImportStore
    source: FakeSource
    ats: FakeAts
    clock: SleepingClock
    jobs: RecordingJobQueue
    transfers: TransferService


def create_world(
    ids: list[str],
    plan: list[Step],
    failing: dict[str, int],
    *,
    clock: SleepingClock | None = None,
    source: FakeSource | None = None,
    pacing: Pacing = PACING,
) -> World:
    clock = clock or SleepingClock()
    store = MemoryBulkImportStore()
    ledger = MemoryTransferLedger()
    ats = FakeAts(plan=list(plan))
    transfers = TransferService(FakeConnector(ats), ledger, FakeFiles(), clock, lease=LEASE)
    source = source or FakeSource(ids, failing=dict(failing))
    runner = ImportRunner(store, {"clickup": source}, ledger, transfers, clock, clock, pacing)
    jobs = RecordingJobQueue()
    sut = BulkImportService(store, [source], FakeConnector(FakeAts()), runner, jobs, clock, pacing)
    return World(sut, store, source, ats, clock, jobs, transfers)


async def run_queued(world: World) -> None:
    """Run the queued jobs, as workers would; a crashed run just ends."""
    queued, world.jobs.enqueued = world.jobs.enqueued, []
    for job, payload in queued:
        assert job == BULK_IMPORT_JOB
        with contextlib.suppress(WorkerCrash):
            await world.sut.run(int(str(payload["user_id"])), int(str(payload["import_id"])))
