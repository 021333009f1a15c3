"""Users' Huntflow connections: the token repository on every backend, the database token
store behind the real client (against the fake Huntflow), shared refreshes, and the
scheduled refresh of pairs about to expire."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from hrhelper.adapters.huntflow.connector import HuntflowConnector, api_base_url
from hrhelper.adapters.huntflow.limiter import TokenBucketLimiter
from hrhelper.adapters.huntflow.tokens import LocalRefreshLocks, RedisRefreshLocks, RefreshLocks
from hrhelper.adapters.persistence.sqlalchemy import SqlUnitOfWork
from hrhelper.adapters.security.secret_box import AesGcmSecretBox
from hrhelper.adapters.system.clock import SystemClock
from hrhelper.domain.ats.refresh import TokenRefresher
from hrhelper.domain.errors import InvalidInput, OutsideServiceError
from hrhelper.domain.identity.model import HuntflowSystem, Role, User
from hrhelper.ports.ats import SealedTokens
from hrhelper.ports.persistence import UnitOfWork
from tests.fakes import huntflow as fake_huntflow
from tests.fakes.huntflow import FakeHuntflow
from tests.support import services

huntflow_server = fake_huntflow.huntflow_server

UowFactory = Callable[[], UnitOfWork]
BOX = AesGcmSecretBox("connection-tests-key-0123456789-abcdef")
NOW = datetime.now(UTC).replace(microsecond=0)


async def create_user(
    uow_factory: UowFactory, email: str = "hr@example.com", **fields: object
) -> User:
    async with uow_factory() as uow:
        user = await uow.users.add(
            User(
                email=email,
                first_name="Hanna",
                last_name="Recruiter",
                role=Role.HR,
                created_at=NOW,
                updated_at=NOW,
                **fields,  # type: ignore[arg-type]
            )
        )
        await uow.commit()
    return user


def sealed(access: str, refresh: str | None, expires_in: timedelta) -> SealedTokens:
    return SealedTokens(
        access_token=BOX.seal(access),
        access_tail="••••" + access[-4:],
        refresh_token=BOX.seal(refresh) if refresh else None,
        access_expires_at=NOW + expires_in,
        refresh_expires_at=NOW + expires_in + timedelta(days=7),
        updated_at=NOW,
    )


async def store_pair(
    uow_factory: UowFactory, user_id: int, tokens: SealedTokens, system: HuntflowSystem
) -> None:
    async with uow_factory() as uow:
        await uow.huntflow_tokens.put(user_id, system, tokens)
        await uow.commit()


# -- the repository, on memory, SQLite and PostgreSQL ---------------------------------------


async def test_token_repository_keeps_one_pair_per_system(uow_factory: UowFactory) -> None:
    user = await create_user(uow_factory)
    await store_pair(
        uow_factory,
        user.pk,
        sealed("a-sandbox-1", "r-1", timedelta(days=7)),
        HuntflowSystem.SANDBOX,
    )
    await store_pair(
        uow_factory, user.pk, sealed("a-prod-0001", None, timedelta(days=7)), HuntflowSystem.PROD
    )
    replacement = sealed("a-sandbox-2", "r-2", timedelta(days=6))
    await store_pair(uow_factory, user.pk, replacement, HuntflowSystem.SANDBOX)
    async with uow_factory() as uow:
        found = await uow.huntflow_tokens.of([user.pk, 999])
        locked = await uow.huntflow_tokens.locked(user.pk, HuntflowSystem.SANDBOX)
    assert set(found) == {user.pk}
    assert set(found[user.pk]) == {HuntflowSystem.SANDBOX, HuntflowSystem.PROD}
    assert found[user.pk][HuntflowSystem.SANDBOX] == replacement
    assert locked == replacement
    assert found[user.pk][HuntflowSystem.PROD].refresh_token is None
    async with uow_factory() as uow:
        await uow.huntflow_tokens.remove(user.pk, HuntflowSystem.PROD)
        await uow.commit()
    async with uow_factory() as uow:
        assert set((await uow.huntflow_tokens.of([user.pk]))[user.pk]) == {HuntflowSystem.SANDBOX}


async def test_expiring_lists_refreshable_pairs_due_soonest_first(uow_factory: UowFactory) -> None:
    soon = await create_user(uow_factory, "soon@example.com")
    sooner = await create_user(uow_factory, "sooner@example.com")
    later = await create_user(uow_factory, "later@example.com")
    no_refresh = await create_user(uow_factory, "plain@example.com")
    await store_pair(
        uow_factory, soon.pk, sealed("a-soon-0001", "r", timedelta(hours=20)), HuntflowSystem.PROD
    )
    await store_pair(
        uow_factory,
        sooner.pk,
        sealed("a-sooner-01", "r", timedelta(hours=2)),
        HuntflowSystem.SANDBOX,
    )
    await store_pair(
        uow_factory, later.pk, sealed("a-later-001", "r", timedelta(days=3)), HuntflowSystem.SANDBOX
    )
    await store_pair(
        uow_factory,
        no_refresh.pk,
        sealed("a-plain-001", None, timedelta(hours=1)),
        HuntflowSystem.SANDBOX,
    )
    async with uow_factory() as uow:
        due = await uow.huntflow_tokens.expiring(NOW + timedelta(days=1), 10)
        first = await uow.huntflow_tokens.expiring(NOW + timedelta(days=1), 1)
    assert due == [(sooner.pk, HuntflowSystem.SANDBOX), (soon.pk, HuntflowSystem.PROD)]
    assert first == [(sooner.pk, HuntflowSystem.SANDBOX)]


def test_api_base_url_appends_v2_once() -> None:
    assert api_base_url("https://sandbox.huntflow.ru") == "https://sandbox.huntflow.ru/v2"
    assert api_base_url(" https://api.huntflow.ru/v2/ ") == "https://api.huntflow.ru/v2"


# -- the connector and the database store, on PostgreSQL, against the fake Huntflow ----------


@pytest.fixture
def pg_uow(postgres_engine: AsyncEngine) -> UowFactory:
    sessions = async_sessionmaker(postgres_engine, expire_on_commit=False)
    return lambda: SqlUnitOfWork(sessions)


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


def create_connector(
    uow_factory: UowFactory,
    http: httpx.AsyncClient,
    locks: RefreshLocks | None = None,
    prod_url: str = "http://127.0.0.1:9/v2",
    sandbox_url: str = "http://127.0.0.1:9/v2",
) -> HuntflowConnector:
    return HuntflowConnector(
        http,
        uow_factory,
        BOX,
        SystemClock(),
        TokenBucketLimiter(rate=1000, burst=1000),
        locks or LocalRefreshLocks(),
        prod_url=prod_url,
        sandbox_url=sandbox_url,
        user_agent="hrhelper-tests/1.0",
        client_options={"backoff_s": 0.01, "max_backoff_s": 0.5},
    )


async def stored_access(uow_factory: UowFactory, user_id: int, system: HuntflowSystem) -> str:
    async with uow_factory() as uow:
        pair = (await uow.huntflow_tokens.of([user_id]))[user_id][system]
    return BOX.open(pair.access_token)


async def test_a_user_without_tokens_is_told_how_to_connect(
    pg_uow: UowFactory, http: httpx.AsyncClient
) -> None:
    user = await create_user(pg_uow)
    await store_pair(
        pg_uow, user.pk, sealed("a-prod-0001", "r", timedelta(days=7)), HuntflowSystem.PROD
    )
    with pytest.raises(InvalidInput) as raised:
        await create_connector(pg_uow, http).for_user(user.pk)  # sandbox is active
    assert "huntflow_api_key" in raised.value.message
    assert "sandbox" in raised.value.message
    assert list(raised.value.details) == ["huntflow_api_key"]


async def test_the_active_system_and_the_users_own_url_are_used(
    pg_uow: UowFactory, http: httpx.AsyncClient, huntflow_server: FakeHuntflow
) -> None:
    access, refresh = huntflow_server.issue_tokens()
    # Given prod active with the user's own URL (without /v2), the default prod URL unreachable
    user = await create_user(
        pg_uow,
        huntflow_active_system=HuntflowSystem.PROD,
        huntflow_prod_url=huntflow_server.url.removesuffix("/v2"),
    )
    await store_pair(
        pg_uow, user.pk, sealed(access, refresh, timedelta(days=7)), HuntflowSystem.PROD
    )
    ats = await create_connector(pg_uow, http).for_user(user.pk)
    assert (await ats.me()).name == "Anna Recruiter"
    assert huntflow_server.requests("GET", "/me")[0].headers["authorization"] == f"Bearer {access}"


async def test_an_expired_access_token_is_refreshed_and_stored_sealed(
    pg_uow: UowFactory, http: httpx.AsyncClient, huntflow_server: FakeHuntflow
) -> None:
    access, refresh = huntflow_server.issue_tokens()
    user = await create_user(pg_uow)
    await store_pair(
        pg_uow, user.pk, sealed(access, refresh, timedelta(days=1)), HuntflowSystem.SANDBOX
    )
    huntflow_server.expire_access_tokens()
    ats = await create_connector(pg_uow, http, sandbox_url=huntflow_server.url).for_user(user.pk)
    # When a call meets the expired token
    accounts = await ats.accounts()
    # Then the pair was refreshed once and the new pair is stored, sealed, with its lifetime
    assert [a.id for a in accounts] == [1, 2]
    assert huntflow_server.refresh_count == 1
    new_access = await stored_access(pg_uow, user.pk, HuntflowSystem.SANDBOX)
    assert huntflow_server.access_tokens[new_access] == "valid"
    async with pg_uow() as uow:
        pair = (await uow.huntflow_tokens.of([user.pk]))[user.pk][HuntflowSystem.SANDBOX]
    assert new_access not in pair.access_token
    assert pair.refresh_token is not None
    assert BOX.open(pair.refresh_token) in huntflow_server.refresh_tokens
    assert pair.access_expires_at is not None
    assert pair.access_expires_at > datetime.now(UTC) + timedelta(days=6)


@pytest.fixture
async def redis() -> AsyncIterator[Redis]:
    client = Redis.from_url(services.test_redis_url())
    try:
        yield client
    finally:
        await client.aclose()


async def test_two_workers_on_one_stored_pair_spend_the_refresh_token_once(
    pg_uow: UowFactory, huntflow_server: FakeHuntflow, redis: Redis
) -> None:
    access, refresh = huntflow_server.issue_tokens()
    user = await create_user(pg_uow)
    await store_pair(
        pg_uow, user.pk, sealed(access, refresh, timedelta(days=1)), HuntflowSystem.SANDBOX
    )
    huntflow_server.expire_access_tokens()
    prefix = f"hrhelper-test:{uuid.uuid4().hex}:"
    # Given two workers: own HTTP clients, own connectors, one Redis lock space
    async with httpx.AsyncClient() as one, httpx.AsyncClient() as two:
        workers = [
            create_connector(
                pg_uow,
                http,
                RedisRefreshLocks(redis, prefix=prefix),
                sandbox_url=huntflow_server.url,
            )
            for http in (one, two)
        ]
        clients = [await w.for_user(user.pk) for w in workers]
        # When both call Huntflow at once with the expired token
        results = await asyncio.gather(*(c.me() for c in clients for _ in range(3)))
    # Then all calls succeed and the single-use refresh token was spent once
    assert {me.id for me in results} == {1}
    assert huntflow_server.refresh_count == 1


async def test_the_scheduled_refresh_renews_pairs_due_within_a_day(
    pg_uow: UowFactory, http: httpx.AsyncClient, huntflow_server: FakeHuntflow
) -> None:
    due_access, due_refresh = huntflow_server.issue_tokens()
    fresh_access, fresh_refresh = huntflow_server.issue_tokens()
    gone_access, _ = huntflow_server.issue_tokens()
    due = await create_user(pg_uow, "due@example.com")
    fresh = await create_user(pg_uow, "fresh@example.com")
    revoked = await create_user(pg_uow, "revoked@example.com")
    await store_pair(
        pg_uow, due.pk, sealed(due_access, due_refresh, timedelta(hours=12)), HuntflowSystem.SANDBOX
    )
    await store_pair(
        pg_uow,
        fresh.pk,
        sealed(fresh_access, fresh_refresh, timedelta(days=5)),
        HuntflowSystem.SANDBOX,
    )
    await store_pair(
        pg_uow,
        revoked.pk,
        sealed(gone_access, "hf-r-revoked", timedelta(hours=1)),
        HuntflowSystem.SANDBOX,
    )
    connector = create_connector(pg_uow, http, sandbox_url=huntflow_server.url)
    sut = TokenRefresher(pg_uow, connector, SystemClock())
    # When the job runs
    report = await sut.refresh_expiring()
    # Then the pair due within a day is renewed, the fresh one untouched, the revoked counted
    assert (report.refreshed, report.failed) == (1, 1)
    assert huntflow_server.refresh_count == 1
    renewed = await stored_access(pg_uow, due.pk, HuntflowSystem.SANDBOX)
    assert renewed != due_access
    assert huntflow_server.access_tokens[renewed] == "valid"
    assert await stored_access(pg_uow, fresh.pk, HuntflowSystem.SANDBOX) == fresh_access
    assert await stored_access(pg_uow, revoked.pk, HuntflowSystem.SANDBOX) == gone_access
    # and a second run finds nothing more it can do but the revoked pair
    again = await sut.refresh_expiring()
    assert (again.refreshed, again.failed) == (0, 1)


async def test_a_revoked_refresh_token_is_a_clear_error(
    pg_uow: UowFactory, http: httpx.AsyncClient, huntflow_server: FakeHuntflow
) -> None:
    access, _ = huntflow_server.issue_tokens()
    user = await create_user(pg_uow)
    await store_pair(
        pg_uow, user.pk, sealed(access, "hf-r-revoked", timedelta(days=1)), HuntflowSystem.SANDBOX
    )
    huntflow_server.expire_access_tokens()
    ats = await create_connector(pg_uow, http, sandbox_url=huntflow_server.url).for_user(user.pk)
    with pytest.raises(OutsideServiceError, match="Settings → API") as raised:
        await ats.me()
    assert "hf-r-revoked" not in str(raised.value.details) + raised.value.message


async def test_a_users_own_url_on_a_host_not_allowed_is_refused_before_any_request(
    pg_uow: UowFactory, http: httpx.AsyncClient, huntflow_server: FakeHuntflow
) -> None:
    access, refresh = huntflow_server.issue_tokens()
    # Given a user whose own prod URL points at an internal address
    user = await create_user(
        pg_uow,
        huntflow_active_system=HuntflowSystem.PROD,
        huntflow_prod_url="http://169.254.169.254/latest",
    )
    await store_pair(
        pg_uow, user.pk, sealed(access, refresh, timedelta(days=7)), HuntflowSystem.PROD
    )
    # When the connection is asked for
    with pytest.raises(InvalidInput) as raised:
        await create_connector(pg_uow, http).for_user(user.pk)
    # Then it is refused by name, and the token went nowhere
    assert list(raised.value.details) == ["huntflow_prod_url"]
    assert "HUNTFLOW_ALLOWED_HOSTS" in raised.value.message
    assert huntflow_server.journal == []
