"""The incremental sync window against a model of Notion: minute-precise timestamps and a
query index that shows edits up to a minute late. Whatever the edits and the sync times, the
last sync ends with every page's latest version stored, and no version is counted twice."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hrhelper.domain.recruiting.sync_window import (
    Change,
    PageVersion,
    SyncWindow,
    classify,
    needs_reading,
)

T0 = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
MAX_LAG_S = 60


@dataclass(frozen=True)
class Edit:
    page: int
    at: int
    """Seconds after T0."""
    lag: int
    """Seconds until the query index shows it."""


class FakeSource:
    """Pages edited at second-precise moments; listed minute-precise and late; read exactly."""

    def __init__(self, pages: int, edits: list[Edit]) -> None:
        created = [Edit(page, 0, 0) for page in range(pages)]
        self.edits = sorted(created + edits, key=lambda e: e.at)  # stable: creation first

    def _history(self, page: int) -> list[tuple[int, Edit]]:
        return [(n, e) for n, e in enumerate(self.edits) if e.page == page]

    def listed(self, page: int, now: int) -> datetime | None:
        """``last_edited_time`` as the query shows it at ``now``."""
        shown = [e for _, e in self._history(page) if e.at + e.lag <= now]
        return _minute(shown[-1].at) if shown else None

    def read(self, page: int, now: int) -> PageVersion:
        """The page itself (properties and blocks) read at ``now``."""
        n, edit = [(n, e) for n, e in self._history(page) if e.at <= now][-1]
        return PageVersion(_minute(edit.at), f"{page}#{n}")

    def latest(self, page: int) -> PageVersion:
        return self.read(page, 10**9)


def _minute(seconds: int) -> datetime:
    return (T0 + timedelta(seconds=seconds)).replace(second=0)


@dataclass
class Synced:
    watermark: datetime | None = None
    stored: dict[int, PageVersion] = field(default_factory=dict)
    read_at: dict[int, datetime] = field(default_factory=dict)
    reads: int = 0
    counted: list[tuple[int, str]] = field(default_factory=list)


def run_sync(sut: SyncWindow, source: FakeSource, pages: int, now: int, state: Synced) -> None:
    """One sync as the service will do it, using only the helpers under test."""
    start = sut.start(state.watermark)
    seen = []
    for page in range(pages):
        listed = source.listed(page, now)
        if listed is None or (start is not None and listed < start):
            continue  # the query's on_or_after filter
        seen.append(listed)
        stored = state.stored.get(page)
        if not sut.must_read(stored, state.read_at.get(page), listed):
            continue
        version = source.read(page, now)
        state.reads += 1
        change = classify(stored, version)
        if change.counts:
            state.counted.append((page, version.fingerprint))
            state.stored[page] = version
        if change is not Change.STALE:  # the stored version is known to hold at ``now``
            state.read_at[page] = T0 + timedelta(seconds=now)
    state.watermark = sut.advance(state.watermark, seen)


edits = st.builds(
    Edit,
    page=st.integers(0, 2),
    at=st.integers(1, 300) | st.integers(1, 5).map(lambda minute: 60 * minute - 1),
    lag=st.sampled_from([0, MAX_LAG_S - 1, MAX_LAG_S]) | st.integers(0, MAX_LAG_S),
)


@st.composite
def histories(draw: st.DrawFn) -> tuple[list[Edit], list[int]]:
    """Edits, and sync moments: anywhere, and some while an edit is not listed yet (the
    moments when a careless window loses it)."""
    edit_list = draw(st.lists(edits, max_size=20))
    anywhere = draw(st.lists(st.integers(0, 400), max_size=6))
    while_late = [e.at + draw(st.integers(0, e.lag)) for e in edit_list if draw(st.booleans())]
    return edit_list, sorted(anywhere + while_late)


@settings(max_examples=300, deadline=None)
@given(history=histories())
def test_no_edit_is_missed_or_counted_twice(history: tuple[list[Edit], list[int]]) -> None:
    edit_list, sync_times = history
    # Given three pages and edits at any second, each shown by the query up to a minute late
    source = FakeSource(3, edit_list)
    sut = SyncWindow(overlap=timedelta(seconds=MAX_LAG_S))  # the tightest safe overlap
    state = Synced()
    # When syncs run at any moments, and once more after every edit is shown
    for now in [*sync_times, 400 + MAX_LAG_S]:
        run_sync(sut, source, 3, now, state)
    # Then every page's latest version is stored (nothing missed) ...
    assert state.stored == {page: source.latest(page) for page in range(3)}
    # ... no version was counted twice, and each page's versions were counted in order
    assert len(set(state.counted)) == len(state.counted)
    for page in range(3):
        numbers = [int(v.split("#")[1]) for p, v in state.counted if p == page]
        assert numbers == sorted(numbers)


def test_an_edit_shown_late_is_caught_by_the_overlap_only() -> None:
    # Given page 1 edited at 10:03 and 10:06:10, and page 0 at 10:05:50 but listed 30 s late
    source = FakeSource(2, [Edit(1, 180, 0), Edit(0, 350, 30), Edit(1, 370, 0)])
    for overlap, caught in ((timedelta(0), False), (timedelta(minutes=2), True)):
        state = Synced()
        sut = SyncWindow(overlap=overlap)
        # When syncs run at 10:05, at 10:06:15 (watermark 10:06, page 0 not listed yet) and
        # at 10:07
        for now in (300, 375, 420):
            run_sync(sut, source, 2, now, state)
        # Then without an overlap page 0's edit (listed 10:05) falls before the window (10:06)
        assert (state.stored[0] == source.latest(0)) is caught


def test_a_second_edit_in_the_same_minute_counts() -> None:
    # Given a page stored at 10:05 with content A, edited again at 10:05:50 (still "10:05")
    stored = PageVersion(T0.replace(minute=5), "A")
    again = PageVersion(T0.replace(minute=5), "B")
    # Then the same time with other content is a change, the same content is not
    assert needs_reading(stored, again.edited)
    assert classify(stored, again) is Change.CHANGED
    assert classify(stored, stored) is Change.SAME
    assert classify(None, stored) is Change.NEW
    assert classify(again, PageVersion(T0.replace(minute=4), "C")) is Change.STALE
    assert not needs_reading(stored, T0.replace(minute=4))


@given(
    moment=st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
    ),
    overlap_min=st.integers(0, 30),
)
def test_the_start_is_the_watermarks_minute_less_the_overlap(
    moment: datetime, overlap_min: int
) -> None:
    sut = SyncWindow(overlap=timedelta(minutes=overlap_min))
    start = sut.start(moment)
    assert start == moment.replace(second=0, microsecond=0) - timedelta(minutes=overlap_min)
    assert sut.start(None) is None


@given(
    watermark=st.none() | st.datetimes(timezones=st.just(UTC)),
    seen=st.lists(st.datetimes(timezones=st.just(UTC))),
)
def test_the_watermark_never_moves_back(watermark: datetime | None, seen: list[datetime]) -> None:
    after = SyncWindow.advance(watermark, seen)
    everything = [*seen, *([watermark] if watermark else [])]
    assert after == (max(everything) if everything else None)


def test_a_settled_version_is_not_read_again() -> None:
    # Given a page edited at 10:00:10, listed at once, synced at 10:00:20 and at 10:05
    source = FakeSource(1, [Edit(0, 10, 0)])
    sut = SyncWindow(overlap=timedelta(seconds=MAX_LAG_S))
    state = Synced()
    for now in (20, 300):
        run_sync(sut, source, 1, now, state)
    # Then the second sync read it again (10:00 was still open at 10:00:20) ...
    assert state.reads == 2
    # ... but a third one inside the overlap does not: the version read at 10:05 is final
    state.watermark = T0
    run_sync(sut, source, 1, 330, state)
    assert state.reads == 2
    assert sut.must_read(None, None, T0)


def test_a_window_needs_a_positive_precision() -> None:
    with pytest.raises(ValueError, match="precision"):
        SyncWindow(precision=timedelta(0))


@given(
    stored=st.datetimes(timezones=st.just(UTC)),
    read_after_s=st.integers(-3600, 3600),
    edited_delta_s=st.integers(-3600, 3600),
    overlap_s=st.integers(0, 600),
)
def test_must_read_skips_only_the_same_settled_version_or_a_stale_one(
    stored: datetime, read_after_s: int, edited_delta_s: int, overlap_s: int
) -> None:
    sut = SyncWindow(overlap=timedelta(seconds=overlap_s))
    version = PageVersion(stored, "x")
    read_at = stored + timedelta(seconds=read_after_s)
    edited = stored + timedelta(seconds=edited_delta_s)
    must = sut.must_read(version, read_at, edited)
    if edited > stored:
        assert must  # a later time is always read
    elif edited < stored:
        assert not must  # a stale listing never is
    else:  # the same time: read until the minute and the overlap have passed since it
        assert must == (read_at < stored + timedelta(minutes=1, seconds=overlap_s))
    assert sut.must_read(None, None, edited)
