"""Enqueues jobs for the dramatiq workers through the Redis broker."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

import dramatiq
from dramatiq.brokers.redis import RedisBroker
from dramatiq.middleware import AsyncIO

from hrhelper.ports.jobs import JobQueue, JobRef

__all__ = ["DEFAULT_QUEUE", "DramatiqJobQueue", "create_redis_broker"]

DEFAULT_QUEUE = "default"


def create_redis_broker(redis_url: str, namespace: str) -> RedisBroker:
    """A broker that runs ``async def`` actors on the AsyncIO middleware's event loop."""
    broker = RedisBroker(url=redis_url, namespace=namespace)  # type: ignore[no-untyped-call]
    broker.add_middleware(AsyncIO())
    return broker


class DramatiqJobQueue(JobQueue):
    def __init__(self, broker: RedisBroker) -> None:
        self._broker = broker

    async def enqueue(
        self, job: str, payload: Mapping[str, object], *, delay_ms: int = 0
    ) -> JobRef:
        message: dramatiq.Message[object] = dramatiq.Message(
            queue_name=DEFAULT_QUEUE, actor_name=job, args=(), kwargs=dict(payload), options={}
        )
        # the redis client is blocking: keep it off the event loop
        sent = await asyncio.to_thread(self._broker.enqueue, message, delay=delay_ms or None)
        return str(sent.message_id)
