"""ClickUpClient against the fake ClickUp over real HTTP: the hierarchy, paging, a task with
its files and comments, tags, retries, 429 and its reset header, pacing shared over Redis,
error translation, and the token kept out of messages and logs."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import structlog
from redis.asyncio import Redis

from hrhelper.adapters.clickup.client import ClickUpClient, limit_key
from hrhelper.adapters.clickup.limiter import shared_limiter
from hrhelper.adapters.ratelimit import RedisRequestLimiter, RequestLimiter, TokenBucketLimiter
from hrhelper.domain.errors import (
    DomainError,
    InvalidInput,
    NotFound,
    OutsideServiceError,
    OutsideServiceUnavailable,
)
from hrhelper.ports.clickup import TaskAttachment, TaskQuery
from tests.fakes import clickup as fake_clickup
from tests.fakes.clickup import START, FakeClickUp, Recorded
from tests.support import services

clickup_server = fake_clickup.clickup_server  # the fixture, under its own name

ALL = TaskQuery()
PDF = b"%PDF-1.4 Olga Smirnova CV"


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


@pytest.fixture
def token(clickup_server: FakeClickUp) -> str:
    return clickup_server.issue_token()


def create_sut(
    fake: FakeClickUp,
    http: httpx.AsyncClient,
    token: str,
    limiter: RequestLimiter | None = None,
    **options: Any,
) -> ClickUpClient:
    # a short backoff keeps the retry tests fast; everything else is the production default
    options = {"backoff_s": 0.01, **options}
    limiter = limiter or TokenBucketLimiter(rate=1000, burst=1000)
    return ClickUpClient(http, fake.url, token, limiter, **options)


@pytest.fixture
def sut(
    clickup_server: FakeClickUp, http: httpx.AsyncClient, token: str
) -> Iterator[ClickUpClient]:
    yield create_sut(clickup_server, http, token)
    # ClickUp wants the personal token as it is, without "Bearer"
    api = [e for e in clickup_server.journal if e.path.startswith("/api/v2/")]
    assert all(e.headers.get("authorization") == token for e in api)


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


# -- the hierarchy -----------------------------------------------------------------------


async def test_teams_spaces_folders_and_lists(sut: ClickUpClient) -> None:
    teams = await sut.teams()
    spaces = await sut.spaces("9001")
    folders = await sut.folders("790")
    lists = await sut.lists("457")
    folderless = await sut.folderless_lists("790")
    assert [(t.id, t.name) for t in teams] == [("9001", "Acme Recruiting")]
    assert [(s.id, s.name) for s in spaces] == [("790", "Hiring")]  # the archived one is left out
    assert [(f.id, f.name, f.space_id) for f in folders] == [("457", "Candidates", "790")]
    assert [(x.id, x.folder_id) for x in lists] == [("901", "457"), ("902", "457")]
    assert [(x.id, x.name, x.folder_id, x.space_id) for x in folderless] == [
        ("903", "Inbox", None, "790")
    ]


async def test_unknown_ids_are_not_found_with_the_kind_named(sut: ClickUpClient) -> None:
    with pytest.raises(NotFound, match="ClickUp list not found"):
        await sut.tasks("404404", ALL)
    with pytest.raises(NotFound, match="ClickUp task not found") as caught:
        await sut.task("nope")
    with pytest.raises(NotFound, match="ClickUp folder not found"):
        await sut.lists("1")
    assert caught.value.details == {
        "status": 404,
        "error": "Task not found, deleted",
        "code": "ITEM_013",
    }


async def test_a_team_the_token_may_not_see_is_a_clear_error(sut: ClickUpClient) -> None:
    with pytest.raises(OutsideServiceError, match="no access to this workspace") as caught:
        await sut.spaces("777")
    assert caught.value.details["code"] == "OAUTH_027"


async def test_ids_from_users_are_quoted_into_one_path_segment(
    sut: ClickUpClient, clickup_server: FakeClickUp
) -> None:
    with pytest.raises(NotFound):
        await sut.task("../team")
    (sent,) = clickup_server.requests("GET", "/task/..%2Fteam")
    assert sent.path == "/api/v2/task/..%2Fteam"
    with pytest.raises(InvalidInput):
        await sut.task("  ")


# -- tasks -------------------------------------------------------------------------------


async def test_paging_collects_every_task_exactly_once(
    sut: ClickUpClient, clickup_server: FakeClickUp
) -> None:
    # Given 250 tasks: pages 0 and 1 are full, page 2 holds 50 and is the last
    ids = {clickup_server.add_task("901") for _ in range(250)}
    tasks = await sut.tasks("901", ALL)
    assert sorted(t.id for t in tasks) == sorted(ids)
    pages = [e.params["page"] for e in clickup_server.requests("GET", "/list/901/task")]
    assert pages == ["0", "1", "2"]


async def test_a_task_added_while_pages_are_read_duplicates_nothing(
    sut: ClickUpClient, clickup_server: FakeClickUp
) -> None:
    # Given 150 tasks, newest first, and a new task arriving right after page 0 is answered,
    # which pushes the last task of page 0 onto page 1
    before = [clickup_server.add_task("901") for _ in range(150)]
    added: list[str] = []

    def add_once(entry: Recorded) -> None:
        if entry.path == "/api/v2/list/901/task" and not added:
            added.append(clickup_server.add_task("901"))

    clickup_server.after_request.append(add_once)
    tasks = await sut.tasks("901", ALL)
    ids = [t.id for t in tasks]
    # Then each task read is there once, and none of those there before is lost
    assert len(ids) == len(set(ids))
    assert set(before) <= set(ids)
    assert added
    assert len(clickup_server.requests("GET", "/list/901/task")) == 2


async def test_an_exact_multiple_of_the_page_size_ends_on_last_page(
    sut: ClickUpClient, clickup_server: FakeClickUp
) -> None:
    ids = {clickup_server.add_task("901") for _ in range(200)}
    assert {t.id for t in await sut.tasks("901", ALL)} == ids
    assert len(clickup_server.requests("GET", "/list/901/task")) == 2


async def test_an_empty_list_is_one_request(
    sut: ClickUpClient, clickup_server: FakeClickUp
) -> None:
    assert await sut.tasks("902", ALL) == []
    assert len(clickup_server.requests("GET", "/list/902/task")) == 1


async def test_a_limit_stops_reading_pages(sut: ClickUpClient, clickup_server: FakeClickUp) -> None:
    for _ in range(250):
        clickup_server.add_task("901")
    tasks = await sut.tasks("901", ALL, limit=120)
    assert len({t.id for t in tasks}) == 120
    assert len(clickup_server.requests("GET", "/list/901/task")) == 2


async def test_filters_reach_clickup_and_select_tasks(
    sut: ClickUpClient, clickup_server: FakeClickUp
) -> None:
    # Given open, closed, sub- and archived tasks, some changed late
    later = START + timedelta(days=30)
    open_ = clickup_server.add_task("901", status="new", tags=("python",), updated=later)
    closed = clickup_server.add_task("901", status="closed", status_type="closed", updated=later)
    sub = clickup_server.add_task("901", parent=open_)
    clickup_server.add_task("901", archived=True)
    old = clickup_server.add_task("901", status="new")
    # When reading with different queries
    default = {t.id for t in await sut.tasks("901", ALL)}
    everything = await sut.tasks("901", TaskQuery(include_closed=True, subtasks=True))
    recent = await sut.tasks(
        "901", TaskQuery(include_closed=True, updated_after=later - timedelta(seconds=1))
    )
    by_status = await sut.tasks("901", TaskQuery(statuses=("new", "in progress")))
    by_tag = await sut.tasks("901", TaskQuery(tags=("python",)))
    # Then ClickUp's defaults leave out closed tasks, subtasks and archived ones
    assert default == {open_, old}
    assert {t.id for t in everything} == {open_, closed, sub, old}
    assert {t.id for t in recent} == {open_, closed}
    assert {t.id for t in by_status} == {open_, old}
    assert [t.id for t in by_tag] == [open_]
    # and array filters go out as repeated "name[]" parameters
    statuses_sent = clickup_server.requests("GET", "/list/901/task")[-2]
    assert statuses_sent.values("statuses[]") == ["new", "in progress"]
    assert statuses_sent.params["include_closed"] == "false"
    assert next(t for t in everything if t.id == sub).parent_id == open_


async def test_a_task_with_fields_attachments_and_times(
    sut: ClickUpClient, clickup_server: FakeClickUp
) -> None:
    task_id = clickup_server.add_task(
        "901",
        "Olga Smirnova — QA",
        description="Strong tester",
        status="interview",
        status_type="custom",
        tags=("referral",),
        assignees=(184,),
        priority=2,
        fields={"f-stage": 1, "f-salary": "3000", "f-skills": ["lab-py"]},
        attachments=(("cv.pdf", PDF, "application/pdf"),),
    )
    task = await sut.task(task_id)
    assert (task.id, task.name, task.description) == (
        task_id,
        "Olga Smirnova — QA",
        "Strong tester",
    )
    assert task.url == f"https://app.clickup.com/t/{task_id}"
    assert task.status is not None
    assert (task.status.name, task.status.type, task.status.closed) == (
        "interview",
        "custom",
        False,
    )
    assert task.priority is not None
    assert (task.priority.level, task.priority.name) == (2, "high")
    assert task.tags == ("referral",)
    assert [(a.id, a.name) for a in task.assignees] == [("184", "Oleg Interviewer")]
    assert task.created_at is not None
    assert task.created_at.tzinfo is not None
    assert task.created_at == datetime.fromtimestamp(
        int(clickup_server.tasks[task_id]["date_created"]) / 1000, UTC
    )
    assert (task.list_id, task.folder_id, task.space_id) == ("901", "457", "790")
    by_id = {f.id: f for f in task.custom_fields}
    assert by_id["f-stage"].value == 1
    assert [o.name for o in by_id["f-stage"].options] == ["Screening", "Offer"]
    assert by_id["f-skills"].value == ("lab-py",)
    assert [o.name for o in by_id["f-skills"].options] == ["Python", "SQL"]
    assert by_id["f-salary"].currency == "USD"
    assert by_id["f-email"].value is None  # unset: ClickUp sends no "value"
    (attachment,) = task.attachments
    assert (attachment.name, attachment.content_type, attachment.size) == (
        "cv.pdf",
        "application/pdf",
        len(PDF),
    )


async def test_attachments_download_without_the_token(
    sut: ClickUpClient, clickup_server: FakeClickUp, token: str
) -> None:
    task_id = clickup_server.add_task(
        "901",
        attachments=(("cv.pdf", PDF, "application/pdf"), ("photo.png", b"\x89PNG", "image/png")),
    )
    attachments = await sut.attachments(task_id)
    contents = [await sut.download(a) for a in attachments]
    assert contents == [PDF, b"\x89PNG"]
    downloads = [e for e in clickup_server.journal if e.path.startswith("/attachments/")]
    assert len(downloads) == 2
    assert all("authorization" not in e.headers for e in downloads)
    assert all(token not in str(e.headers) for e in downloads)


async def test_a_gone_or_huge_attachment_is_a_clear_error(
    clickup_server: FakeClickUp, http: httpx.AsyncClient, token: str
) -> None:
    sut = create_sut(clickup_server, http, token, max_download_bytes=10)
    gone = TaskAttachment("x", "cv.pdf", clickup_server.origin + "/attachments/x/cv.pdf")
    with pytest.raises(NotFound, match="attachment is gone"):
        await sut.download(gone)
    task_id = clickup_server.add_task("901", attachments=(("cv.pdf", PDF, "application/pdf"),))
    (big,) = await sut.attachments(task_id)
    with pytest.raises(OutsideServiceError, match="larger than"):
        await sut.download(big)


async def test_a_download_that_fails_once_is_retried(
    sut: ClickUpClient, clickup_server: FakeClickUp
) -> None:
    task_id = clickup_server.add_task("901", attachments=(("cv.pdf", PDF, "application/pdf"),))
    (attachment,) = await sut.attachments(task_id)
    path = attachment.url.removeprefix(clickup_server.origin)
    clickup_server.fail_next(path, 503, text="<html>busy</html>")
    assert await sut.download(attachment) == PDF
    assert len([e for e in clickup_server.journal if e.path == path]) == 2


async def test_comments_are_all_read_oldest_first(
    sut: ClickUpClient, clickup_server: FakeClickUp
) -> None:
    # Given 60 comments: ClickUp answers the newest 25, then older pages by start/start_id
    task_id = clickup_server.add_task("901")
    texts = [f"Comment {n}" for n in range(60)]
    for n, text in enumerate(texts):
        clickup_server.add_comment(task_id, text, at=START + timedelta(minutes=n), user=183 + n % 2)
    comments = await sut.comments(task_id)
    assert [c.text for c in comments] == texts
    assert comments[1].author is not None
    assert comments[1].author.name == "Oleg Interviewer"
    assert all(c.created_at.tzinfo is not None for c in comments)
    first, second, third = clickup_server.requests("GET", f"/task/{task_id}/comment")
    assert "start" not in first.params
    assert second.params["start"] == str(int(comments[35].created_at.timestamp() * 1000))
    assert second.params["start_id"] == comments[35].id
    assert third.params["start_id"] == comments[10].id


async def test_comments_made_in_one_millisecond_page_by_id(
    sut: ClickUpClient, clickup_server: FakeClickUp
) -> None:
    task_id = clickup_server.add_task("901")
    ids = [clickup_server.add_comment(task_id, f"Note {n}", at=START) for n in range(30)]
    comments = await sut.comments(task_id)
    assert sorted(c.id for c in comments) == sorted(ids)
    assert len(clickup_server.requests("GET", f"/task/{task_id}/comment")) == 2


async def test_comments_of_a_quiet_task(sut: ClickUpClient, clickup_server: FakeClickUp) -> None:
    task_id = clickup_server.add_task("901")
    assert await sut.comments(task_id) == []


async def test_add_tag_is_idempotent_and_quotes_the_name(
    sut: ClickUpClient, clickup_server: FakeClickUp
) -> None:
    task_id = clickup_server.add_task("901", tags=("referral",))
    await sut.add_tag(task_id, "huntflow")
    await sut.add_tag(task_id, "huntflow")
    await sut.add_tag(task_id, "to hire/now")
    assert clickup_server.tags_of(task_id) == ["referral", "huntflow", "to hire/now"]
    assert clickup_server.requests("POST")[-1].path == f"/api/v2/task/{task_id}/tag/to%20hire%2Fnow"
    with pytest.raises(NotFound, match="task not found"):
        await sut.add_tag("gone", "huntflow")


async def test_add_tag_failing_once_is_sent_again(
    sut: ClickUpClient, clickup_server: FakeClickUp
) -> None:
    task_id = clickup_server.add_task("901")
    clickup_server.fail_next(f"/task/{task_id}/tag/huntflow", 502, method="POST")
    await sut.add_tag(task_id, "huntflow")
    assert clickup_server.tags_of(task_id) == ["huntflow"]


# -- errors ------------------------------------------------------------------------------


async def test_a_bad_token_is_rejected_once_with_a_clear_message(
    clickup_server: FakeClickUp, http: httpx.AsyncClient
) -> None:
    sut = create_sut(clickup_server, http, "pk_1_BOGUS")
    with pytest.raises(OutsideServiceError, match="ClickUp rejected the API token") as caught:
        await sut.teams()
    assert caught.value.details["code"] == "OAUTH_025"
    assert len(clickup_server.requests("GET", "/team")) == 1  # not worth repeating


def test_a_blank_or_malformed_token_is_refused_before_any_request() -> None:
    http = httpx.AsyncClient()
    with pytest.raises(InvalidInput, match="No ClickUp API token"):
        ClickUpClient(http, "http://127.0.0.1:9/api/v2", "  ", TokenBucketLimiter(1))
    with pytest.raises(InvalidInput, match="malformed") as caught:
        ClickUpClient(http, "http://127.0.0.1:9/api/v2", "pk_1_ÄBC", TokenBucketLimiter(1))
    assert "ÄBC" not in str(caught.value) + str(caught.value.details)


async def test_a_bad_parameter_carries_clickups_reason(
    sut: ClickUpClient, clickup_server: FakeClickUp
) -> None:
    clickup_server.fail_next(
        "/list/901/task", 400, json_body={"err": "Invalid order_by", "ECODE": "PUBLIC_API_005"}
    )
    with pytest.raises(OutsideServiceError, match="ClickUp refused the request: Invalid order_by"):
        await sut.tasks("901", TaskQuery(order_by="colour"))


async def test_an_answer_that_is_not_json_is_a_clear_error(
    sut: ClickUpClient, clickup_server: FakeClickUp
) -> None:
    clickup_server.fail_next("/team", 200, text="<html>login</html>")
    with pytest.raises(OutsideServiceError, match="something other than a JSON object"):
        await sut.teams()


# -- retries -----------------------------------------------------------------------------


async def test_5xx_then_success(sut: ClickUpClient, clickup_server: FakeClickUp) -> None:
    clickup_server.fail_next("/team", 503, times=2, text="<html>Bad gateway</html>")
    assert len(await sut.teams()) == 1
    assert len(clickup_server.requests("GET", "/team")) == 3


async def test_a_call_that_keeps_failing_is_unavailable(
    sut: ClickUpClient, clickup_server: FakeClickUp
) -> None:
    clickup_server.fail_next("/team", 502, times=10)
    with pytest.raises(OutsideServiceUnavailable, match=r"HTTP 502") as caught:
        await sut.teams()
    assert caught.value.details == {"status": 502}
    assert len(clickup_server.requests("GET", "/team")) == 4  # 1 + max_retries


async def test_a_500_that_persists_is_an_error_of_the_request(
    sut: ClickUpClient, clickup_server: FakeClickUp
) -> None:
    clickup_server.fail_next("/team", 500, times=10)
    with pytest.raises(OutsideServiceError, match=r"HTTP 500") as caught:
        await sut.teams()
    assert caught.value.details == {"status": 500}
    assert len(clickup_server.requests("GET", "/team")) == 4


async def test_a_slow_answer_is_asked_again(
    clickup_server: FakeClickUp, http: httpx.AsyncClient, token: str
) -> None:
    sut = create_sut(clickup_server, http, token, read_timeout_s=0.3)
    clickup_server.delay_next("/team", 1.0)
    assert len(await sut.teams()) == 1
    assert len(clickup_server.requests("GET", "/team")) == 2
    clickup_server.delay_next("/team", 1.0, times=10)
    with pytest.raises(OutsideServiceUnavailable, match="did not answer in time"):
        await sut.teams()


async def test_429_waits_until_the_reset_second(
    sut: ClickUpClient, clickup_server: FakeClickUp
) -> None:
    # Given ClickUp says the window resets about 1.5 s from now
    clickup_server.throttle_next("/team", reset_in_s=1.5)
    assert len(await sut.teams()) == 1
    throttled, retried = clickup_server.requests("GET", "/team")
    assert (throttled.status, retried.status) == (429, 200)
    assert throttled.reset is not None
    assert throttled.reset > throttled.wall
    # Then the retry came no earlier than the reset (the scheduler may wake a hair early)
    assert retried.wall >= throttled.reset - 0.05


async def test_over_the_limit_every_request_waits_for_its_reset(
    clickup_server: FakeClickUp, http: httpx.AsyncClient, token: str
) -> None:
    # Given ClickUp allows 4 requests per 2 s window, and our own limiter would allow more
    clickup_server.rate_limit, clickup_server.rate_window_s = 4, 2.0
    sut = create_sut(clickup_server, http, token, max_retries=5)
    # When 10 calls go out together
    results = await asyncio.gather(*(sut.teams() for _ in range(10)))
    # Then all succeed, some after a 429, and none was retried before its reset
    assert all(len(teams) == 1 for teams in results)
    journal = clickup_server.requests("GET", "/team")
    throttled = [e for e in journal if e.status == 429]
    assert throttled
    assert all(e.reset is not None and e.reset > e.wall for e in throttled)
    assert sum(e.status == 200 for e in journal) == 10
    # the first attempts of the 10 calls come first; every later request is a retry
    earliest_reset = min(e.reset or 0 for e in throttled)
    retries = sorted(journal, key=lambda e: e.at)[10:]
    assert retries
    assert all(e.wall >= earliest_reset - 0.05 for e in retries)


async def test_a_reset_beyond_the_wait_budget_is_left_to_the_caller(
    clickup_server: FakeClickUp, http: httpx.AsyncClient, token: str
) -> None:
    sut = create_sut(clickup_server, http, token, max_wait_s=5.0)
    clickup_server.throttle_next("/team", reset_in_s=40)
    with pytest.raises(OutsideServiceUnavailable, match="rate-limiting") as caught:
        await sut.teams()
    assert caught.value.details["status"] == 429
    assert 35 <= int(str(caught.value.details["retry_after"])) <= 41
    assert len(clickup_server.requests("GET", "/team")) == 1


# -- pacing ------------------------------------------------------------------------------


async def test_redis_limiter_paces_two_clients_together(
    clickup_server: FakeClickUp, token: str, redis: Redis, key_prefix: str
) -> None:
    # Given two workers, each with its own limiter object over the same Redis, at 10 per second
    async with httpx.AsyncClient() as one, httpx.AsyncClient() as two:
        workers = [
            create_sut(
                clickup_server, http, token, RedisRequestLimiter(redis, 10, 1.0, prefix=key_prefix)
            )
            for http in (one, two)
        ]
        # When they fire 30 calls at once
        started = time.monotonic()
        await asyncio.gather(*(workers[n % 2].teams() for n in range(30)))
        elapsed = time.monotonic() - started
    # Then all went through, paced as one: no 1 s window granted more than 10, so 30 grants
    # span at least two full windows (two separate limiters would need only one).
    # A lower bound only: a slow machine can make this longer, never shorter.
    assert len(clickup_server.requests("GET", "/team")) == 30
    assert elapsed >= 2.0


async def test_the_shared_limiter_counts_a_minute_per_token_hash(
    clickup_server: FakeClickUp, http: httpx.AsyncClient, token: str, redis: Redis, key_prefix: str
) -> None:
    sut = create_sut(clickup_server, http, token, shared_limiter(redis, prefix=key_prefix))
    await sut.teams()
    await sut.spaces("9001")
    keys = [key.decode() async for key in redis.scan_iter(match=key_prefix + "*")]
    assert keys == [key_prefix + limit_key(token)]
    assert token not in keys[0]
    assert await redis.zcard(keys[0]) == 2
    assert await redis.pttl(keys[0]) > 59_000  # the window is a minute


# -- secrets -----------------------------------------------------------------------------


async def test_the_token_never_reaches_messages_or_logs(
    clickup_server: FakeClickUp,
    http: httpx.AsyncClient,
    token: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    sut = create_sut(clickup_server, http, token, read_timeout_s=0.3)
    bad = create_sut(clickup_server, http, "pk_42_SECRETBUTWRONG")
    errors: list[DomainError] = []
    caplog.set_level(logging.DEBUG)
    with structlog.testing.capture_logs() as events:
        task_id = clickup_server.add_task("901", attachments=(("cv.pdf", PDF, "application/pdf"),))
        await sut.attachments(task_id)
        clickup_server.fail_next("/team", 500, times=9, text="boom")
        clickup_server.delay_next(f"/task/{task_id}", 1.0, times=9)
        clickup_server.throttle_next("/space/790/folder", reset_in_s=0.2)
        # ClickUp echoing the token back must not pass it on either
        echo = {"err": f"Bad header {token}", "ECODE": "X"}
        clickup_server.fail_next("/space/790/list", 400, json_body=echo)
        calls = (
            sut.teams(),
            sut.task(task_id),
            sut.folders("790"),
            sut.folderless_lists("790"),
            bad.teams(),
        )
        for call in calls:
            try:
                await call
            except DomainError as error:
                errors.append(error)
    assert len(errors) == 4
    assert events  # the adapter did log
    texts = [repr(sut), caplog.text, *map(str, events)]
    texts += [f"{e!s} {e.message} {e.details} {e.__cause__!s}" for e in errors]
    leaks = [text for secret in (token, "pk_42_SECRETBUTWRONG") for text in texts if secret in text]
    assert not leaks


# -- the fake itself ---------------------------------------------------------------------


def test_fake_answers_401_without_a_header_and_for_an_unknown_token(
    clickup_server: FakeClickUp,
) -> None:
    token = clickup_server.issue_token()
    with httpx.Client() as raw:
        missing = raw.get(clickup_server.url + "/team")
        unknown = raw.get(clickup_server.url + "/team", headers={"Authorization": "pk_0_X"})
        bearer = raw.get(clickup_server.url + "/team", headers={"Authorization": "Bearer " + token})
    assert (missing.status_code, missing.json()["ECODE"]) == (401, "OAUTH_017")
    assert (unknown.status_code, unknown.json()["ECODE"]) == (401, "OAUTH_025")
    assert bearer.status_code == 200
    assert bearer.headers["x-ratelimit-limit"] == "100"
    assert int(bearer.headers["x-ratelimit-remaining"]) == 99


def test_fake_limits_a_token_to_100_a_minute(clickup_server: FakeClickUp) -> None:
    token = clickup_server.issue_token()
    with httpx.Client(headers={"Authorization": token}) as raw:
        answers = [raw.get(clickup_server.url + "/team") for _ in range(101)]
    assert [a.status_code for a in answers[:100]] == [200] * 100
    last = answers[100]
    assert (last.status_code, last.headers["x-ratelimit-remaining"]) == (429, "0")
    assert int(last.headers["x-ratelimit-reset"]) >= time.time() + 50
