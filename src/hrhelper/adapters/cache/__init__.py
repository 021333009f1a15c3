"""Caches: process memory (embedded default) or Redis (shared by every process)."""

from hrhelper.adapters.cache.best_effort import BestEffortCache
from hrhelper.adapters.cache.memory import MemoryCache
from hrhelper.adapters.cache.redis import RedisCache

__all__ = ["BestEffortCache", "MemoryCache", "RedisCache"]
