"""The in-process sliding window: never more than the limit in any window, per key."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hrhelper.adapters.ratelimit import SlidingWindowLimiter


def create_sut(limit: int, window_s: float) -> tuple[SlidingWindowLimiter, list[float]]:
    """A limiter on a clock that only moves when the limiter sleeps."""
    now = [0.0]

    async def sleep(seconds: float) -> None:
        assert seconds > 0
        now[0] += seconds

    return SlidingWindowLimiter(limit, window_s, clock=lambda: now[0], sleep=sleep), now


async def test_a_full_window_waits_for_its_oldest_grant_to_leave() -> None:
    sut, now = create_sut(3, 60.0)
    grants = []
    for _ in range(7):
        await sut.acquire("token:a")
        grants.append(now[0])
    await sut.acquire("token:b")  # another token has its own window
    assert grants == [0, 0, 0, 60, 60, 60, 120]
    assert now[0] == 120


@settings(deadline=None)
@given(st.integers(1, 5), st.integers(1, 40))
async def test_no_window_ever_holds_more_than_the_limit(limit: int, calls: int) -> None:
    sut, now = create_sut(limit, 10.0)
    grants = []
    for _ in range(calls):
        await sut.acquire("k")
        grants.append(now[0])
    for start, end in itertools.combinations(range(len(grants)), 2):
        if grants[end] - grants[start] < 10.0:
            assert end - start + 1 <= limit


def test_a_limiter_needs_a_limit_and_a_window() -> None:
    with pytest.raises(ValueError, match="limit"):
        SlidingWindowLimiter(0, 60.0)
    with pytest.raises(ValueError, match="window"):
        SlidingWindowLimiter(1, 0)
