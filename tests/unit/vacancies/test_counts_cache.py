"""The versioned cache of the stats' counts, and the fail-soft cache it runs on."""

from __future__ import annotations

import time

import pytest

from hrhelper.adapters.cache import BestEffortCache, MemoryCache
from hrhelper.domain.vacancies.counts_cache import CountsCache
from hrhelper.domain.vacancies.model import VacancyCounts


class Counter:
    """Counts from the 'database': each call returns the current totals and is recorded."""

    def __init__(self) -> None:
        self.total = 0
        self.calls = 0

    async def __call__(self) -> VacancyCounts:
        self.calls += 1
        return VacancyCounts(self.total, self.total, {7: self.total}, {3: self.total})


class BrokenCache(MemoryCache):
    async def get(self, key: str) -> bytes | None:
        raise ConnectionError("redis is down")

    async def set(self, key: str, value: bytes, ttl_seconds: int) -> None:
        raise ConnectionError("redis is down")

    async def incr(self, key: str, ttl_seconds: int) -> int:
        raise ConnectionError("redis is down")


async def test_counts_are_read_once_per_version_and_again_after_a_write() -> None:
    database = Counter()
    sut = CountsCache(MemoryCache())
    database.total = 5
    first = await sut.get(database)
    assert await sut.get(database) == first == VacancyCounts(5, 5, {7: 5}, {3: 5})
    assert database.calls == 1
    # a committed write bumps the version: the next reader counts again and sees it
    database.total = 6
    await sut.invalidate()
    assert (await sut.get(database)).total == 6
    assert database.calls == 2


async def test_two_processes_sharing_a_cache_see_each_others_writes() -> None:
    shared = MemoryCache()
    database = Counter()
    one, two = CountsCache(shared), CountsCache(shared)
    database.total = 1
    assert (await two.get(database)).total == 1
    database.total = 2
    await one.invalidate()
    assert (await two.get(database)).total == 2


async def test_a_broken_cache_answers_from_the_database_every_time() -> None:
    database = Counter()
    sut = CountsCache(BestEffortCache(BrokenCache()))
    database.total = 3
    assert (await sut.get(database)).total == 3
    await sut.invalidate()  # a lost bump is not an error for the write that caused it
    database.total = 4
    assert (await sut.get(database)).total == 4
    assert database.calls == 2


async def test_best_effort_keeps_a_working_cache_working() -> None:
    sut = BestEffortCache(MemoryCache())
    await sut.set("k", b"v", 60)
    assert await sut.get("k") == b"v"
    assert await sut.incr("n", 60) == 1
    await sut.delete("k")
    assert await sut.get("k") is None


@pytest.mark.parametrize("ttl", [1, 60])
async def test_counts_expire_after_their_ttl_and_long_before_the_version(ttl: int) -> None:
    cache = MemoryCache()
    sut = CountsCache(cache, ttl_seconds=ttl)
    await sut.invalidate()
    await sut.get(Counter())
    now = time.monotonic()
    expiry = {key.split(":")[1]: at - now for key, (at, _) in cache._entries.items()}
    assert ttl - 1 < expiry["counts"] <= ttl
    # a version outliving its counts by far: when it expires and restarts at 0, no counts
    # cached under an old number can still be there
    assert expiry["version"] > 1000 * ttl
