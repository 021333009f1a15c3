"""Enqueues jobs for the dramatiq workers through the Redis broker."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

import dramatiq
from dramatiq.brokers.redis import RedisBroker
from dramatiq.middleware import AsyncIO
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from hrhelper.domain.errors import OutsideServiceUnavailable
from hrhelper.ports.jobs import JobQueue, JobRef

__all__ = ["DEFAULT_QUEUE", "DramatiqJobQueue", "create_redis_broker"]

DEFAULT_QUEUE = "default"


def create_redis_broker(redis_url: str, namespace: str) -> RedisBroker:
    """A broker that runs ``async def`` actors on the AsyncIO middleware's event loop."""
    # bounded socket waits: a Redis that stopped answering makes an enqueue fail, not hang
    broker = RedisBroker(  # type: ignore[no-untyped-call]
        url=redis_url, namespace=namespace, socket_timeout=5, socket_connect_timeout=3
    )
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
        try:
            sent = await asyncio.to_thread(self._broker.enqueue, message, delay=delay_ms or None)
        except (RedisConnectionError, RedisTimeoutError) as error:
            # Nothing was queued: the caller answers 503 and the client may try again (work
            # enqueued after a commit is swept up again: the outbox relay re-enqueues mail).
            raise OutsideServiceUnavailable(
                "The job queue is unavailable; try again shortly."
            ) from error
        return str(sent.message_id)
