"""NotionClient when Notion says no or struggles: error translation, retries with backoff and
Retry-After, pacing per token (in-process and shared through Redis), secrets kept out of
messages and logs. Timing checks are lower bounds only."""

from __future__ import annotations

import asyncio
import logging
import time

import httpx
import pytest
import structlog
from redis.asyncio import Redis

from hrhelper.adapters.notion.client import NotionClient
from hrhelper.adapters.notion.connector import NotionConnector, notion_limiter
from hrhelper.domain.errors import (
    DomainError,
    NotFound,
    OutsideServiceError,
    OutsideServiceUnavailable,
)
from tests.adapters.notion.conftest import VERSION, create_sut
from tests.fakes.notion import FakeNotion, prop

ME = "/users/me"


# -- errors ------------------------------------------------------------------------------


async def test_a_rejected_token_says_so(notion_server: FakeNotion, http: httpx.AsyncClient) -> None:
    sut = create_sut(notion_server, http, "ntn_not_a_real_one")
    with pytest.raises(OutsideServiceError, match="Notion rejected the integration token") as e:
        await sut.whoami()
    assert e.value.details["code"] == "unauthorized"
    assert len(notion_server.requests("GET", ME)) == 1  # a 401 is not retried


async def test_an_unshared_database_says_how_to_share_it(
    sut: NotionClient, notion_server: FakeNotion
) -> None:
    database = notion_server.add_database(shared=False)
    notion_server.add_page(database, {"Name": prop.title("hidden")})
    with pytest.raises(NotFound, match="not shared with the integration") as caught:
        await sut.query_pages(database)
    assert database in caught.value.message
    assert "Connections" in caught.value.message
    assert caught.value.details["code"] == "object_not_found"


async def test_missing_page_and_block_are_not_found(
    sut: NotionClient, notion_server: FakeNotion
) -> None:
    missing = "0" * 32
    with pytest.raises(NotFound, match="The Notion page 00000000-0000"):
        await sut.page(missing)
    with pytest.raises(NotFound):
        await sut.page_text(missing)


async def test_a_refused_query_carries_notions_reason(
    sut: NotionClient, notion_server: FakeNotion
) -> None:
    database = notion_server.add_database()
    notion_server.fail_next(f"/databases/{database}/query", 403)
    with pytest.raises(OutsideServiceError, match="Read content"):
        await sut.query_pages(database)
    notion_server.fail_next(f"/databases/{database}/query", 400, code="validation_error")
    with pytest.raises(OutsideServiceError, match="Notion refused the request: Scripted 400"):
        await sut.query_pages(database)


# -- retries -----------------------------------------------------------------------------


async def test_retry_after_is_waited_for(sut: NotionClient, notion_server: FakeNotion) -> None:
    # Given Notion answers 429 once and asks to come back in a second
    notion_server.fail_next(ME, 429, headers={"Retry-After": "1"})
    started = time.monotonic()
    bot = await sut.whoami()
    # Then the call succeeds on the second attempt, not sooner than a second later
    assert bot.name == "HR backend"
    first, second = notion_server.requests("GET", ME)
    assert second.at - first.at >= 1.0
    assert time.monotonic() - started >= 1.0


async def test_a_long_retry_after_is_left_to_the_caller(
    sut: NotionClient, notion_server: FakeNotion
) -> None:
    notion_server.fail_next(ME, 429, headers={"Retry-After": "120"})
    with pytest.raises(OutsideServiceUnavailable, match="rate-limiting") as caught:
        await sut.whoami()
    assert caught.value.details == {"status": 429, "retry_after": 120}
    assert len(notion_server.requests("GET", ME)) == 1


@pytest.mark.parametrize("status", [500, 502, 503, 504, 529])
async def test_server_errors_are_retried(
    sut: NotionClient, notion_server: FakeNotion, status: int
) -> None:
    notion_server.fail_next(ME, status, times=2)
    assert (await sut.whoami()).name == "HR backend"
    assert len(notion_server.requests("GET", ME)) == 3


async def test_a_server_that_keeps_failing_is_unavailable(
    sut: NotionClient, notion_server: FakeNotion
) -> None:
    notion_server.fail_next(ME, 503, times=20, text="<html>503</html>")
    with pytest.raises(OutsideServiceUnavailable, match=r"HTTP 503"):
        await sut.whoami()
    assert len(notion_server.requests("GET", ME)) == 5  # 1 + max_retries


async def test_a_500_that_persists_is_an_error_of_the_request(
    sut: NotionClient, notion_server: FakeNotion
) -> None:
    notion_server.fail_next(ME, 500, times=20)
    with pytest.raises(OutsideServiceError, match=r"HTTP 500") as caught:
        await sut.whoami()
    assert caught.value.details["status"] == 500
    assert len(notion_server.requests("GET", ME)) == 5


async def test_a_slow_answer_is_asked_again(
    notion_server: FakeNotion, http: httpx.AsyncClient, token: str
) -> None:
    sut = create_sut(notion_server, http, token, read_timeout_s=0.3)
    notion_server.delay_next(ME, 1.0)
    assert (await sut.whoami()).name == "HR backend"
    assert len(notion_server.requests("GET", ME)) == 2
    notion_server.delay_next(ME, 1.0, times=10)
    with pytest.raises(OutsideServiceUnavailable, match="did not answer in time"):
        await create_sut(notion_server, http, token, read_timeout_s=0.3, max_retries=1).whoami()


async def test_over_the_rate_every_call_still_succeeds_after_429s(
    sut: NotionClient, notion_server: FakeNotion
) -> None:
    # Given Notion's own limit of 3 requests/s and a client that does not pace itself
    notion_server.rate_limit = True
    # When 6 calls go out at once
    bots = await asyncio.gather(*(sut.whoami() for _ in range(6)))
    # Then some were refused with 429 and tried again after Retry-After, and all succeeded
    assert len(bots) == 6
    sent = notion_server.requests("GET", ME)
    assert len(sent) > 6
    assert sent[-1].at - sent[0].at >= 1.0


# -- pacing ------------------------------------------------------------------------------


async def test_the_embedded_limiter_paces_one_token_at_3_per_second(
    notion_server: FakeNotion, http: httpx.AsyncClient, token: str
) -> None:
    sut = create_sut(notion_server, http, token, notion_limiter(None))
    started = time.monotonic()
    await asyncio.gather(*(sut.whoami() for _ in range(7)))
    # 7 grants at 3/s with no burst: the last one at least 6/3 s after the first
    assert time.monotonic() - started >= 2.0


async def test_workers_share_the_pace_through_redis(
    notion_server: FakeNotion, token: str, redis: Redis, key_prefix: str
) -> None:
    # Given two workers, each with its own connector and limiter object over one Redis
    notion_server.rate_limit = True
    async with httpx.AsyncClient() as one, httpx.AsyncClient() as two:
        workers = [
            NotionConnector(
                http, notion_server.url, notion_limiter(redis, prefix=key_prefix), version=VERSION
            ).connect(token)
            for http in (one, two)
        ]
        # When they make 10 calls at once with the same token
        started = time.monotonic()
        await asyncio.gather(*(workers[n % 2].whoami() for n in range(10)))
        elapsed = time.monotonic() - started
    # Then they were paced as one: no 1 s window granted more than 3, so 10 grants span at
    # least three full windows (separate limiters would need only one)
    assert len(notion_server.requests("GET", ME)) >= 10
    assert elapsed >= 3.0


# -- secrets -----------------------------------------------------------------------------


async def test_the_token_never_reaches_messages_or_logs(
    notion_server: FakeNotion,
    http: httpx.AsyncClient,
    token: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    sut = create_sut(notion_server, http, token, read_timeout_s=0.3, max_retries=1)
    database = notion_server.add_database()
    url = notion_server.add_file("cv.pdf", b"%PDF")
    page_id = notion_server.add_page(database, {"CV": prop.files(("cv.pdf", url, True))})
    errors: list[DomainError] = []
    caplog.set_level(logging.DEBUG)
    # as entrypoints/logging.py sets them: httpx's own INFO lines show full URLs
    caplog.set_level(logging.WARNING, logger="httpx")
    caplog.set_level(logging.WARNING, logger="httpcore")
    with structlog.testing.capture_logs() as events:
        (file,) = (await sut.page(page_id)).files
        notion_server.fail_next(ME, 500, times=9)
        notion_server.delay_next(f"/pages/{page_id}", 1.0, times=9)
        notion_server.fail_next(_path_of(url), 503, times=9)
        calls = [
            sut.whoami(),
            sut.page(page_id),
            sut.download(file, max_bytes=100),
            create_sut(notion_server, http, token + "x").whoami(),
            sut.query_pages(notion_server.add_database(shared=False)),
        ]
        for call in calls:
            try:
                await call
            except DomainError as error:
                errors.append(error)
    assert len(errors) == 5
    assert events  # the adapter did log
    signature = url.rsplit("=", 1)[1]
    texts = [repr(sut), repr(file), caplog.text, *map(str, events)]
    texts += [f"{e!s} {e.details} {e.__cause__!s}" for e in errors]
    assert not [text for text in texts if token in text or signature in text]


def _path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3].split("?", 1)[0]


# -- the fake itself ---------------------------------------------------------------------


def test_fake_requires_the_version_header(notion_server: FakeNotion, token: str) -> None:
    with httpx.Client() as raw:
        answer = raw.get(notion_server.url + ME, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 400
    assert answer.json() | {"request_id": ""} == {
        "object": "error",
        "status": 400,
        "code": "missing_version",
        "message": "Notion-Version header failed validation.",
        "request_id": "",
    }


def test_fake_files_refuse_a_second_credential(notion_server: FakeNotion) -> None:
    url = notion_server.add_file("cv.pdf", b"%PDF")
    with httpx.Client() as raw:
        plain = raw.get(url)
        doubled = raw.get(url, headers={"Authorization": "Bearer x"})
    assert (plain.status_code, plain.content) == (200, b"%PDF")
    assert doubled.status_code == 400


async def test_an_answer_of_unknown_shape_is_a_clear_error(
    sut: NotionClient, notion_server: FakeNotion
) -> None:
    page_id = "1a2b3c4d-5e6f-47a8-b9c0-d1e2f3a4b5c6"
    notion_server.fail_next(f"/pages/{page_id}", 200, text='{"object": "page"}')
    with pytest.raises(OutsideServiceError, match="in a shape HR Helper does not know"):
        await sut.page(page_id)
    notion_server.fail_next(ME, 200, text="<html>portal</html>")
    with pytest.raises(OutsideServiceError, match="something other than JSON"):
        await sut.whoami()


def test_fake_filters_by_property_and_time_together(notion_server: FakeNotion, token: str) -> None:
    database = notion_server.add_database()
    for name, stage in (("Anna", "Offer"), ("Boris", "Offer"), ("Vera", "New")):
        notion_server.add_page(database, {"Name": prop.title(name), "Stage": prop.select(stage)})
    query = {
        "filter": {
            "and": [
                {"property": "Stage", "select": {"equals": "Offer"}},
                {"property": "Name", "title": {"contains": "a"}},
                {"timestamp": "last_edited_time", "last_edited_time": {"after": "2026-01-01"}},
            ]
        }
    }
    headers = {"Authorization": f"Bearer {token}", "Notion-Version": VERSION}
    with httpx.Client(headers=headers) as raw:
        found = raw.post(f"{notion_server.url}/databases/{database}/query", json=query).json()
        odd = {"filter": {"timestamp": "last_edited_time", "last_edited_time": {"x": 1}}}
        refused = raw.post(f"{notion_server.url}/databases/{database}/query", json=odd)
    names = [p["properties"]["Name"]["title"][0]["plain_text"] for p in found["results"]]
    assert names == ["Anna"]
    assert (refused.status_code, refused.json()["code"]) == (400, "validation_error")
