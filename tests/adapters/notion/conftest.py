"""Fixtures of the Notion adapter tests: the fake server, a token, a client, Redis keys."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from redis.asyncio import Redis

from hrhelper.adapters.notion.client import NotionClient
from hrhelper.adapters.ratelimit import RequestLimiter, TokenBucketLimiter
from tests.fakes import notion as fake_notion
from tests.fakes.notion import FakeNotion
from tests.support import services

notion_server = fake_notion.notion_server  # the fixture, under its own name

VERSION = "2022-06-28"


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


@pytest.fixture
def token(notion_server: FakeNotion) -> str:
    return notion_server.issue_token()


def create_sut(
    fake: FakeNotion,
    http: httpx.AsyncClient,
    token: str,
    limiter: RequestLimiter | None = None,
    **options: Any,
) -> NotionClient:
    # a short backoff keeps the retry tests fast; everything else is the production default
    options = {"backoff_s": 0.01, "max_backoff_s": 0.2, **options}
    limiter = limiter or TokenBucketLimiter(rate=1000, burst=1000)
    return NotionClient(http, fake.url, token, limiter, version=VERSION, **options)


@pytest.fixture
def sut(notion_server: FakeNotion, http: httpx.AsyncClient, token: str) -> NotionClient:
    return create_sut(notion_server, http, token)


@pytest.fixture
def key_prefix() -> str:
    """Redis keys of this test only."""
    return f"hrhelper-test:{uuid.uuid4().hex}:"


@pytest.fixture
async def redis(key_prefix: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(services.test_redis_url())
    try:
        yield client
    finally:
        keys = [key async for key in client.scan_iter(match=key_prefix + "*")]
        if keys:
            await client.delete(*keys)
        await client.aclose()
