"""An in-memory import source and a sleeping clock, for domain tests of bulk imports."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from hrhelper.domain.errors import InvalidInput, OutsideServiceError
from hrhelper.domain.recruiting.bulk_import_model import SourceItem
from hrhelper.domain.recruiting.card import CandidateCard, CardSource
from tests.support.ats import WorkerCrash
from tests.support.fakes import FakeClock

__all__ = ["FakeSource", "SleepingClock", "create_card"]


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
    ``crash_at`` lists the calls (counted from 1) at which the worker dies."""

    ids: Sequence[str]
    kind: str = "clickup"
    failing: dict[str, int] = field(default_factory=dict)
    crash_at: set[int] = field(default_factory=set)
    configured: bool = True
    calls: int = 0
    marked: list[str] = field(default_factory=list)

    def _call(self) -> None:
        self.calls += 1
        if self.calls in self.crash_at:
            raise WorkerCrash

    async def check(self, user_id: int) -> None:
        if not self.configured:
            raise InvalidInput.for_fields({"clickup_api_key": ["Set it."]}, "No key.")

    async def items(self, user_id: int, limit: int, *, live: bool) -> Sequence[SourceItem]:
        self._call()
        return [SourceItem(i, f"Last{i} First") for i in self.ids[:limit]]

    async def card(self, user_id: int, item_id: str) -> CandidateCard:
        self._call()
        if self.failing.get(item_id, 0) > 0:
            self.failing[item_id] -= 1
            raise OutsideServiceError(f"The task {item_id} cannot be read.")
        return create_card(item_id)

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
