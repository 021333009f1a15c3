"""The stats' aggregates, kept in the shared cache per version of the vacancies.

Counting 100,000 vacancies costs the database a full pass over the table and its grade links;
the answer only changes when a vacancy is written. Every write bumps a version after its
commit, and the counts are cached under the version they were read at: a reader that sees the
new version cannot be served the counts of an older one. A version bump lost in between (the
process killed right after a commit, a cache evicting the version key, another process's
memory cache in the embedded mode, a recruiter deleted and so removed from their vacancies)
leaves stale counts for at most ``ttl_seconds``. The cache is only a shortcut: give it one that
fails soft (a miss when Redis is down), and the counts come from the database.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable

from hrhelper.domain.vacancies.model import VacancyCounts
from hrhelper.ports.cache import Cache

__all__ = ["CountsCache"]

_VERSION_KEY = "vacancies:version"
_VERSION_TTL_SECONDS = 7 * 24 * 3600
"""Far longer than the counts live, so a version that expires finds no counts of its number."""


class CountsCache:
    def __init__(self, cache: Cache, ttl_seconds: int = 60) -> None:
        self._cache = cache
        self._ttl = ttl_seconds

    async def get(self, count: Callable[[], Awaitable[VacancyCounts]]) -> VacancyCounts:
        """The cached counts of the current version, or ``count()`` cached for it."""
        version = (await self._cache.get(_VERSION_KEY) or b"0").decode()
        key = f"vacancies:counts:{version}"
        cached = await self._cache.get(key)
        if cached is not None:
            return _decode(cached)
        counts = await count()
        await self._cache.set(key, _encode(counts), self._ttl)
        return counts

    async def invalidate(self) -> None:
        """Call after a committed change to the vacancies."""
        await self._cache.incr(_VERSION_KEY, _VERSION_TTL_SECONDS)


def _encode(counts: VacancyCounts) -> bytes:
    return json.dumps(
        {
            "total": counts.total,
            "active": counts.active,
            "by_recruiter": list(counts.by_recruiter.items()),
            "by_grade": list(counts.by_grade.items()),
        }
    ).encode()


def _decode(raw: bytes) -> VacancyCounts:
    data = json.loads(raw)
    return VacancyCounts(
        total=data["total"],
        active=data["active"],
        by_recruiter={int(k): int(v) for k, v in data["by_recruiter"]},
        by_grade={int(k): int(v) for k, v in data["by_grade"]},
    )
