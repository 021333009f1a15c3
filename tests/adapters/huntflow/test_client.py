"""HuntflowClient against the fake Huntflow over real HTTP: reads, changes, token refresh,
retries, error translation, pacing, and secrets kept out of messages and logs."""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
import structlog
from redis.asyncio import Redis

from hrhelper.adapters.huntflow.client import HuntflowClient
from hrhelper.adapters.huntflow.limiter import (
    RedisRequestLimiter,
    RequestLimiter,
    TokenBucketLimiter,
)
from hrhelper.adapters.huntflow.tokens import InMemoryTokenStore, RedisRefreshLock
from hrhelper.domain.errors import (
    DomainError,
    NotFound,
    OutsideServiceError,
    OutsideServiceUnavailable,
)
from hrhelper.ports.ats import ApplicantDraft, AtsTokens
from tests.fakes import huntflow as fake_huntflow
from tests.fakes.huntflow import FakeHuntflow
from tests.support import services

huntflow_server = fake_huntflow.huntflow_server  # the fixture, under its own name

UA = "hrhelper-tests/1.0 (ops@example.com)"
APPLICANTS = "/accounts/1/applicants"
TOKEN_EXPIRED = {
    "errors": [{"type": "authorization_error", "title": "Authorization Error", "detail": "x"}]
}


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


@pytest.fixture
def store(huntflow_server: FakeHuntflow) -> InMemoryTokenStore:
    access, refresh = huntflow_server.issue_tokens()
    return InMemoryTokenStore(AtsTokens(access, refresh))


def create_sut(
    fake: FakeHuntflow,
    http: httpx.AsyncClient,
    store: InMemoryTokenStore,
    limiter: RequestLimiter | None = None,
    **options: Any,
) -> HuntflowClient:
    # a short backoff keeps the retry tests fast; everything else is the production default
    options = {"backoff_s": 0.01, "max_backoff_s": 0.5, **options}
    limiter = limiter or TokenBucketLimiter(rate=1000, burst=1000)
    return HuntflowClient(http, fake.url, store, limiter, user_agent=UA, **options)


@pytest.fixture
def sut(
    huntflow_server: FakeHuntflow, http: httpx.AsyncClient, store: InMemoryTokenStore
) -> Iterator[HuntflowClient]:
    yield create_sut(huntflow_server, http, store)
    # Huntflow answers 400 to a request without a User-Agent: ours always carries one
    assert all(e.headers.get("user-agent") == UA for e in huntflow_server.journal)


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


# -- reads -------------------------------------------------------------------------------


async def test_me_accounts_statuses_and_reasons(sut: HuntflowClient) -> None:
    me = await sut.me()
    accounts = await sut.accounts()
    statuses = await sut.statuses(1)
    reasons = await sut.rejection_reasons(1)
    assert (me.id, me.name, me.email) == (1, "Anna Recruiter", "anna@example.com")
    assert [(a.id, a.name) for a in accounts] == [(1, "Acme"), (2, "Beta")]
    assert {s.type for s in statuses} == {"user", "hired", "trash"}
    assert [s.order for s in statuses] == sorted(s.order for s in statuses)
    assert [r.id for r in reasons] == [21, 22, None]  # the built-in "Other" has no id


async def test_all_vacancies_reads_every_page(
    sut: HuntflowClient, huntflow_server: FakeHuntflow
) -> None:
    # Given 71 vacancies (3 pages of 30)
    vacancies = await sut.all_vacancies(1)
    # Then every one arrives once, in order, from pages 1..3
    assert [v.id for v in vacancies] == list(range(101, 172))
    pages = [e.params["page"] for e in huntflow_server.requests("GET", "/accounts/1/vacancies")]
    assert pages == ["1", "2", "3"]
    first = vacancies[0]
    assert (first.position, first.state, first.money) == ("Vacancy 1", "CLOSED", "1001 USD")
    assert first.created is not None
    assert first.created.tzinfo is not None


async def test_vacancy_page_envelope_and_page_past_the_end(sut: HuntflowClient) -> None:
    last = await sut.vacancies(1, page=3, count=30)
    beyond = await sut.vacancies(1, page=9, count=30)
    assert (len(last.items), last.page, last.total_pages, last.total_items) == (11, 3, 3, 71)
    assert (beyond.items, beyond.total_items) == ((), 71)


async def test_missing_account_and_vacancy_are_not_found(sut: HuntflowClient) -> None:
    with pytest.raises(NotFound, match="Huntflow account not found"):
        await sut.vacancies(12345)
    with pytest.raises(NotFound, match="Huntflow vacancy not found"):
        await sut.vacancy(1, 99999)
    assert (await sut.vacancy(1, 101)).position == "Vacancy 1"


async def test_account_without_access_is_a_clear_error(sut: HuntflowClient) -> None:
    with pytest.raises(OutsideServiceError, match="No access to this Huntflow account"):
        await sut.statuses(99)


# -- upload, create, bind ----------------------------------------------------------------

CV = b"Olga Smirnova\nolga@example.com\n+375 29 765-43-21\nPython developer\n"


async def test_upload_with_parse_answers_text_fields_and_photo(
    sut: HuntflowClient, huntflow_server: FakeHuntflow
) -> None:
    uploaded = await sut.upload(1, "cv.txt", CV, "text/plain")
    assert uploaded.text == CV.decode()
    assert uploaded.fields["email"] == "olga@example.com"
    assert uploaded.fields["name"] == {"first": "Olga", "last": "Smirnova", "middle": None}
    assert (uploaded.name, uploaded.content_type) == ("cv.txt", "text/plain")
    assert uploaded.photo_id in huntflow_server.files
    (sent,) = huntflow_server.requests("POST", "/accounts/1/upload")
    assert sent.headers["x-file-parse"] == "true"
    assert sent.headers["content-type"].startswith("multipart/form-data")
    assert b'name="file"; filename="cv.txt"' in sent.body


async def test_upload_without_parse_answers_the_file_only(sut: HuntflowClient) -> None:
    uploaded = await sut.upload(1, "cv.pdf", b"%PDF-1.4", "application/pdf", parse=False)
    assert (uploaded.text, dict(uploaded.fields), uploaded.photo_id) == (None, {}, None)


async def test_create_then_bind_to_a_rejection_stage(
    sut: HuntflowClient, huntflow_server: FakeHuntflow
) -> None:
    # Given an uploaded CV
    cv = await sut.upload(1, "cv.txt", CV, "text/plain")
    draft = ApplicantDraft(
        first_name="Olga",
        last_name="Smirnova",
        email="olga@example.com",
        phone="+375297654321",
        telegram="@olga",
        resume_text=cv.text,
        file_ids=(cv.id,),
        photo_id=cv.photo_id,
    )
    # When the applicant is created and put on a vacancy at the "trash" stage
    created = await sut.create_applicant(1, draft)
    link = await sut.bind_to_vacancy(
        1, created.id, 101, 14, comment="Too far", rejection_reason_id=21, file_ids=(cv.id,)
    )
    # Then Huntflow holds both, and the body omitted nulls
    assert (created.first_name, created.email, created.doubles) == ("Olga", "olga@example.com", ())
    assert (link.vacancy_id, link.status_id, link.rejection_reason_id) == (101, 14, 21)
    assert huntflow_server.links[created.id][101]["status"] == 14
    (sent,) = huntflow_server.requests("POST", APPLICANTS)
    assert "middle_name" not in sent.json
    assert sent.json["social"] == [{"social_type": "TELEGRAM", "value": "olga"}]
    assert sent.json["externals"] == [
        {"auth_type": "NATIVE", "data": {"body": CV.decode()}, "files": [cv.id]}
    ]


async def test_trash_stage_without_reason_is_refused_with_huntflow_titles(
    sut: HuntflowClient,
) -> None:
    created = await sut.create_applicant(1, ApplicantDraft(first_name="Olga"))
    with pytest.raises(OutsideServiceError, match="rejection_reason required") as caught:
        await sut.bind_to_vacancy(1, created.id, 101, 14)
    assert caught.value.details["status"] == 400


async def test_comment_and_tags(sut: HuntflowClient, huntflow_server: FakeHuntflow) -> None:
    created = await sut.create_applicant(1, ApplicantDraft(last_name="Sidorov"))
    await sut.bind_to_vacancy(1, created.id, 102, 11)
    await sut.add_comment(1, created.id, 102, 11, "Imported from ClickUp")
    await sut.add_tags(1, created.id, (31,))
    await sut.add_tags(1, created.id, (32, 31))
    assert huntflow_server.log[-1]["comment"] == "Imported from ClickUp"
    assert huntflow_server.links[created.id][102]["status"] == 11
    assert huntflow_server.applicant_tags[created.id] == [31, 32]


async def test_create_without_any_name_is_refused_once(
    sut: HuntflowClient, huntflow_server: FakeHuntflow
) -> None:
    with pytest.raises(OutsideServiceError, match="first_name or last_name required"):
        await sut.create_applicant(1, ApplicantDraft(email="x@example.com"))
    assert len(huntflow_server.requests("POST", APPLICANTS)) == 1


# -- dedup -------------------------------------------------------------------------------


async def test_create_reports_doubles_by_email_or_phone(sut: HuntflowClient) -> None:
    first = await sut.create_applicant(1, ApplicantDraft(first_name="Ivan", email="i@x.com"))
    by_email = await sut.create_applicant(1, ApplicantDraft(first_name="I.", email="I@X.com"))
    by_phone = await sut.create_applicant(
        1, ApplicantDraft(first_name="Ivan", phone="+375 (29) 123-45-67")
    )
    assert by_email.doubles == (first.id,)
    assert len(by_phone.doubles) == 1  # the seeded Ivan Petrov, same digits


async def test_search_follows_the_cursor_with_the_cursor_only(
    sut: HuntflowClient, huntflow_server: FakeHuntflow
) -> None:
    # Given 45 matching applicants (two pages of 30)
    ids = [huntflow_server.add_applicant(last_name="Sidorov") for _ in range(45)]
    found = await sut.search_applicants(1, "sidorov")
    assert [a.id for a in found] == ids
    first, follow_up = huntflow_server.requests("GET", APPLICANTS + "/search_by_cursor")
    assert first.params["q"] == "sidorov"
    assert list(follow_up.params) == ["next_page_cursor"]
    # and a bound stops early
    assert len(await sut.search_applicants(1, "sidorov", limit=10)) == 10


async def test_search_by_email_and_phone_finds_the_person(sut: HuntflowClient) -> None:
    by_email = await sut.search_applicants(1, "ivan@example.com")
    by_phone = await sut.search_applicants(1, "375291234567")
    assert [(a.first_name, a.email) for a in by_email] == [("Ivan", "ivan@example.com")]
    assert [a.id for a in by_phone] == [a.id for a in by_email]
    assert await sut.search_applicants(1, "nobody@example.com") == []


# -- tokens ------------------------------------------------------------------------------


async def test_expired_access_token_is_refreshed_once_and_persisted(
    sut: HuntflowClient, huntflow_server: FakeHuntflow, store: InMemoryTokenStore
) -> None:
    old = await store.current()
    huntflow_server.expire_access_tokens()
    me = await sut.me()
    new = await store.current()
    assert me.id == 1
    assert huntflow_server.refresh_count == 1
    assert new.refresh_token != old.refresh_token
    assert huntflow_server.access_tokens[new.access_token] == "valid"
    assert new.refresh_token in huntflow_server.refresh_tokens
    assert new.access_expires_at is not None
    (refresh,) = huntflow_server.requests("POST", "/token/refresh")
    assert refresh.json == {"refresh_token": old.refresh_token}
    assert "authorization" not in refresh.headers


async def test_concurrent_calls_with_an_expired_token_refresh_once(
    sut: HuntflowClient, huntflow_server: FakeHuntflow, store: InMemoryTokenStore
) -> None:
    huntflow_server.expire_access_tokens()
    await asyncio.gather(
        sut.me(), sut.accounts(), sut.statuses(1), sut.vacancies(1), sut.rejection_reasons(1)
    )
    assert huntflow_server.refresh_count == 1
    assert store.replacements == 1


async def test_workers_sharing_a_redis_lock_refresh_once(
    huntflow_server: FakeHuntflow, redis: Redis, key_prefix: str
) -> None:
    # Given two "workers" (own HTTP clients) sharing one stored pair and a Redis lock
    access, refresh = huntflow_server.issue_tokens()
    lock = RedisRefreshLock(redis, "user-7", prefix=key_prefix)
    shared = InMemoryTokenStore(AtsTokens(access, refresh), lock_factory=lock)
    huntflow_server.expire_access_tokens()
    async with httpx.AsyncClient() as one, httpx.AsyncClient() as two:
        workers = [create_sut(huntflow_server, http, shared) for http in (one, two)]
        await asyncio.gather(*(w.accounts() for w in workers for _ in range(3)))
    assert huntflow_server.refresh_count == 1


async def test_unknown_refresh_token_asks_for_new_tokens(
    huntflow_server: FakeHuntflow, http: httpx.AsyncClient
) -> None:
    access, _ = huntflow_server.issue_tokens()
    huntflow_server.expire_access_tokens()
    sut = create_sut(huntflow_server, http, InMemoryTokenStore(AtsTokens(access, "hf-r-gone")))
    with pytest.raises(OutsideServiceError, match=r"Huntflow \(Settings → API\)") as caught:
        await sut.me()
    assert "no longer accepts the stored refresh token" in caught.value.message
    assert "hf-r-gone" not in str(caught.value.details)


async def test_still_unauthorised_after_refresh_is_a_clear_error(
    sut: HuntflowClient, huntflow_server: FakeHuntflow
) -> None:
    huntflow_server.fail_next("/me", 401, times=2, json_body=TOKEN_EXPIRED)
    with pytest.raises(OutsideServiceError, match="rejected the access token even after"):
        await sut.me()
    assert huntflow_server.refresh_count == 1
    assert len(huntflow_server.requests("GET", "/me")) == 2


# -- retries -----------------------------------------------------------------------------


async def test_429_then_success_on_a_read(
    sut: HuntflowClient, huntflow_server: FakeHuntflow
) -> None:
    huntflow_server.fail_next("/accounts", 429, times=2)
    assert len(await sut.accounts()) == 2
    assert len(huntflow_server.requests("GET", "/accounts")) == 3


async def test_retry_after_is_honoured_before_backoff(
    huntflow_server: FakeHuntflow, http: httpx.AsyncClient, store: InMemoryTokenStore
) -> None:
    # Given a backoff of 5 s, but Huntflow asks to come back at once
    sut = create_sut(huntflow_server, http, store, backoff_s=5.0, max_backoff_s=10.0)
    huntflow_server.fail_next("/me", 429, headers={"Retry-After": "0"})
    started = time.monotonic()
    await sut.me()
    assert time.monotonic() - started < 3.0


async def test_a_long_retry_after_is_left_to_the_caller(
    sut: HuntflowClient, huntflow_server: FakeHuntflow
) -> None:
    huntflow_server.fail_next("/me", 429, headers={"Retry-After": "120"})
    with pytest.raises(OutsideServiceUnavailable, match="rate-limiting") as caught:
        await sut.me()
    assert caught.value.details == {"status": 429, "retry_after": 120}
    assert len(huntflow_server.requests("GET", "/me")) == 1


async def test_429_on_create_is_retried(sut: HuntflowClient, huntflow_server: FakeHuntflow) -> None:
    huntflow_server.fail_next(APPLICANTS, 429, method="POST")
    created = await sut.create_applicant(1, ApplicantDraft(first_name="Olga"))
    assert len(huntflow_server.requests("POST", APPLICANTS)) == 2
    olgas = [a for a in huntflow_server.applicants.values() if a["first_name"] == "Olga"]
    assert [a["id"] for a in olgas] == [created.id]


async def test_503_with_html_on_a_read_is_retried(
    sut: HuntflowClient, huntflow_server: FakeHuntflow
) -> None:
    huntflow_server.fail_next("/accounts/1/vacancies", 503, text="<html>Bad gateway</html>")
    page = await sut.vacancies(1)
    assert len(page.items) == 30
    assert len(huntflow_server.requests("GET", "/accounts/1/vacancies")) == 2


async def test_a_read_that_keeps_failing_is_unavailable(
    sut: HuntflowClient, huntflow_server: FakeHuntflow
) -> None:
    huntflow_server.fail_next("/me", 503, times=10, text="<html>503</html>")
    with pytest.raises(OutsideServiceUnavailable, match=r"HTTP 503"):
        await sut.me()
    assert len(huntflow_server.requests("GET", "/me")) == 4  # 1 + max_retries


async def test_a_500_that_persists_is_an_error_of_the_request(
    sut: HuntflowClient, huntflow_server: FakeHuntflow
) -> None:
    # retried like any 5xx, but then Huntflow answers and fails on this request: no outage
    huntflow_server.fail_next("/me", 500, times=10, text="oops")
    with pytest.raises(OutsideServiceError, match=r"HTTP 500") as caught:
        await sut.me()
    assert caught.value.details == {"status": 500}
    assert len(huntflow_server.requests("GET", "/me")) == 4


async def test_503_on_create_is_not_retried(
    sut: HuntflowClient, huntflow_server: FakeHuntflow
) -> None:
    huntflow_server.fail_next(APPLICANTS, 503, method="POST", text="<html>503</html>")
    with pytest.raises(OutsideServiceUnavailable, match="look for it before repeating"):
        await sut.create_applicant(1, ApplicantDraft(first_name="Olga"))
    assert len(huntflow_server.requests("POST", APPLICANTS)) == 1


async def test_timeout_on_create_is_not_retried_but_a_read_is(
    huntflow_server: FakeHuntflow, http: httpx.AsyncClient, store: InMemoryTokenStore
) -> None:
    sut = create_sut(huntflow_server, http, store, read_timeout_s=0.3)
    # When Huntflow creates the applicant but answers too late
    huntflow_server.delay_next(APPLICANTS, 1.0, method="POST")
    with pytest.raises(OutsideServiceUnavailable, match="may have been applied"):
        await sut.create_applicant(1, ApplicantDraft(first_name="Olga"))
    # Then it was sent once, and it exists: the caller must look before repeating
    assert len(huntflow_server.requests("POST", APPLICANTS)) == 1
    assert any(a["first_name"] == "Olga" for a in huntflow_server.applicants.values())
    # while a slow read is simply asked again
    huntflow_server.delay_next("/me", 1.0)
    assert (await sut.me()).id == 1
    assert len(huntflow_server.requests("GET", "/me")) == 2


# -- pacing ------------------------------------------------------------------------------


async def test_redis_limiter_paces_two_workers_together(
    huntflow_server: FakeHuntflow, store: InMemoryTokenStore, redis: Redis, key_prefix: str
) -> None:
    # Given two workers, each with its own limiter object over the same Redis, at 8 requests/s
    async with httpx.AsyncClient() as one, httpx.AsyncClient() as two:
        workers = [
            create_sut(huntflow_server, http, store, RedisRequestLimiter(redis, prefix=key_prefix))
            for http in (one, two)
        ]
        # When they fire 30 calls at once
        started = time.monotonic()
        await asyncio.gather(*(workers[n % 2].me() for n in range(30)))
        elapsed = time.monotonic() - started
    # Then every call went through, paced as one: no 1 s window granted more than 8, so the
    # 30 grants span at least three full windows (two separate limiters would need only one).
    # A lower bound only: a slow machine can make this longer, never shorter.
    assert len(huntflow_server.requests("GET", "/me")) == 30
    assert elapsed >= 3.0


async def test_token_bucket_paces_to_its_rate() -> None:
    # Given a clock that only moves when the limiter sleeps
    now = [0.0]
    grants: list[float] = []

    async def sleep(seconds: float) -> None:
        now[0] += seconds

    sut = TokenBucketLimiter(rate=8, burst=1, clock=lambda: now[0], sleep=sleep)
    for _ in range(24):
        await sut.acquire("token:a")
        grants.append(now[0])
    await sut.acquire("token:b")  # another token has its own bucket
    assert now[0] == pytest.approx(23 / 8)
    assert all(b - a == pytest.approx(1 / 8) for a, b in itertools.pairwise(grants))


# -- secrets -----------------------------------------------------------------------------


async def test_tokens_never_reach_messages_or_logs(
    huntflow_server: FakeHuntflow,
    http: httpx.AsyncClient,
    store: InMemoryTokenStore,
    caplog: pytest.LogCaptureFixture,
) -> None:
    sut = create_sut(huntflow_server, http, store, read_timeout_s=0.3)
    errors: list[DomainError] = []
    caplog.set_level(logging.DEBUG)
    with structlog.testing.capture_logs() as events:
        huntflow_server.expire_access_tokens()
        await sut.me()  # a refresh
        huntflow_server.fail_next("/me", 401, times=2, json_body=TOKEN_EXPIRED)
        huntflow_server.fail_next("/accounts", 500, times=9, text="boom")
        huntflow_server.delay_next(APPLICANTS, 1.0, method="POST")
        for call in (sut.me(), sut.accounts(), sut.create_applicant(1, ApplicantDraft("A"))):
            try:
                await call
            except DomainError as error:
                errors.append(error)
        stale = await store.current()
        huntflow_server.expire_access_tokens()
        huntflow_server.refresh_tokens.clear()  # the refresh token is no longer known
        try:
            await sut.me()
        except DomainError as error:
            errors.append(error)
    assert len(errors) == 4
    assert events  # the adapter did log
    seen = _tokens_on_the_wire(huntflow_server) | {stale.access_token, stale.refresh_token}
    texts = [repr(stale), caplog.text, *map(str, events)]
    texts += [f"{e!s} {e.details} {e.__cause__!s}" for e in errors]
    leaks = [(token, text) for token in seen for text in texts if token in text]
    assert not leaks


def _tokens_on_the_wire(fake: FakeHuntflow) -> set[str]:
    found = set()
    for entry in fake.journal:
        found.add(entry.headers.get("authorization", "").removeprefix("Bearer ").strip())
        if entry.path.endswith("/token/refresh"):
            found.add(entry.json["refresh_token"])
    return {token for token in found if token}


# -- the fake itself ---------------------------------------------------------------------


def test_fake_refuses_a_request_without_user_agent(huntflow_server: FakeHuntflow) -> None:
    access, _ = huntflow_server.issue_tokens()
    with httpx.Client() as raw:
        raw.headers.pop("user-agent")
        response = raw.get(
            huntflow_server.url + "/me", headers={"Authorization": "Bearer " + access}
        )
    assert response.status_code == 400
    assert response.json()["errors"][0]["type"] == "bad_user_agent"


def test_fake_tells_expired_from_invalid_tokens(huntflow_server: FakeHuntflow) -> None:
    access, _ = huntflow_server.issue_tokens()
    huntflow_server.expire_access_tokens()
    with httpx.Client() as raw:
        expired = raw.get(
            huntflow_server.url + "/me", headers={"Authorization": "Bearer " + access}
        )
        garbage = raw.get(huntflow_server.url + "/me", headers={"Authorization": "Bearer nope"})
    assert expired.status_code == garbage.status_code == 401
    assert expired.json()["errors"][0]["detail"] == "token_expired"
    assert garbage.json()["errors"][0]["detail"] == "Invalid access token"


# -- what a caller sees once retries end ---------------------------------------------------


@pytest.mark.parametrize(
    ("failure", "expected"),
    [
        ("refused", OutsideServiceUnavailable),
        ("timeout", OutsideServiceUnavailable),
        (502, OutsideServiceUnavailable),
        (503, OutsideServiceUnavailable),
        (504, OutsideServiceUnavailable),
        (429, OutsideServiceUnavailable),
        (500, OutsideServiceError),
        (400, OutsideServiceError),
    ],
)
async def test_an_outage_is_unavailable_and_a_failing_request_is_an_error(
    huntflow_server: FakeHuntflow,
    http: httpx.AsyncClient,
    store: InMemoryTokenStore,
    failure: str | int,
    expected: type[DomainError],
) -> None:
    """The bulk import pauses on OutsideServiceUnavailable (503 over HTTP) and fails the one
    card on OutsideServiceError (502): out of reach vs. answering and failing."""
    sut = create_sut(huntflow_server, http, store, read_timeout_s=0.2)
    if failure == "refused":
        sut = HuntflowClient(
            http,
            "http://127.0.0.1:9/v2",
            store,
            TokenBucketLimiter(1000),
            user_agent=UA,
            backoff_s=0.01,
        )
    elif failure == "timeout":
        huntflow_server.delay_next("/me", 1.0, times=10)
    else:
        huntflow_server.fail_next("/me", int(failure), times=10)
    with pytest.raises(DomainError) as caught:
        await sut.me()
    assert type(caught.value) is expected
    assert "Huntflow" in caught.value.message
