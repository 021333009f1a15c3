"""Redis going away: the API stays up, health says redis is unhealthy, a job asked for then
is answered with a clear 503 (nothing half-queued) and mail waits in the outbox until the
relay queues it once Redis is back."""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import redis

from hrhelper.settings import Settings
from tests.api.conftest import Api, create_api
from tests.faults.proxy import TcpProxy, serve_proxy
from tests.support import services

pytestmark = pytest.mark.redis

NAMESPACE = "hrhelper-faults"


def _forget(direct: redis.Redis) -> None:
    """Queues of this module and the shared cache (sign-in counters would carry over)."""
    for pattern in (f"{NAMESPACE}*", "hrhelper:cache:*"):
        keys = direct.keys(pattern)
        if keys:
            direct.delete(*keys)


@pytest.fixture
def redis_proxy() -> Iterator[tuple[TcpProxy, str]]:
    url = urlsplit(services.test_redis_url())
    with serve_proxy(url.hostname or "127.0.0.1", url.port or 6379) as proxy:
        yield proxy, url.path or "/0"


@pytest.fixture
async def api(
    make_settings: Callable[..., Settings], sqlite_url: str, redis_proxy: tuple[TcpProxy, str]
) -> AsyncIterator[Api]:
    proxy, database = redis_proxy
    direct = redis.Redis.from_url(services.test_redis_url())
    _forget(direct)
    settings = make_settings(
        DATABASE_URL=sqlite_url,
        REDIS_URL=f"redis://127.0.0.1:{proxy.port}{database}",
        DRAMATIQ_NAMESPACE=NAMESPACE,
        TELEGRAM_BOT_TOKEN="123456:fault-test-token",
        TELEGRAM_API_URL="http://127.0.0.1:9",  # no worker runs the job here
    )
    try:
        async for value in create_api(settings):
            yield value
    finally:
        _forget(direct)
        direct.close()


def queued_messages() -> int:
    direct = redis.Redis.from_url(services.test_redis_url())
    try:
        return int(direct.llen(f"{NAMESPACE}:default"))
    finally:
        direct.close()


async def test_with_redis_cut_the_api_answers_and_jobs_are_refused_clearly(
    api: Api, redis_proxy: tuple[TcpProxy, str]
) -> None:
    proxy, _ = redis_proxy
    proxy.cut()
    # the API stays up: authenticated reads need no Redis
    assert (await api.client.get("/api/vacancies/", headers=api.auth("hr"))).status_code == 200
    health = await api.client.get("/api/health/")
    assert health.status_code == 200  # the database answers
    assert health.json()["status"] == "unhealthy"
    assert health.json()["services"]["redis"] == "unhealthy"
    # a job asked for now is refused with a clear 503, not accepted and lost
    sync = await api.client.post("/api/v1/telegram/sync/", json={}, headers=api.auth("hr"))
    assert sync.status_code == 503, sync.text
    assert sync.json()["error"] == "ServiceUnavailable"
    assert "queue" in sync.json()["message"]
    # once Redis is back the same request is queued, and health is green again
    proxy.restore()
    sync = await api.client.post("/api/v1/telegram/sync/", json={}, headers=api.auth("hr"))
    assert sync.status_code == 202, sync.text
    assert queued_messages() == 1
    health = await api.client.get("/api/health/")
    assert health.json()["services"]["redis"] == "healthy"


async def test_throttled_requests_are_503_while_redis_is_cut(
    api: Api, redis_proxy: tuple[TcpProxy, str]
) -> None:
    proxy, _ = redis_proxy
    proxy.cut()
    # the sign-in limits live in Redis: without them a sign-in is refused clearly, not a 500
    response = await api.client.post(
        "/api/auth/password-reset/", json={"email": "user@example.com"}
    )
    assert response.status_code == 503, response.text
    assert set(response.json()) == {"error", "message", "details"}
    assert "Redis" in response.json()["message"]
    proxy.restore()
    response = await api.client.post(
        "/api/auth/password-reset/", json={"email": "user@example.com"}
    )
    assert response.status_code == 200, response.text


async def test_mail_asked_for_with_redis_cut_is_queued_once_it_is_back(
    api: Api, redis_proxy: tuple[TcpProxy, str]
) -> None:
    proxy, _ = redis_proxy
    proxy.cut()
    # an invitation is accepted: its mail is written to the outbox in the same transaction
    response = await api.client.post(
        "/api/auth/hr/", json={"email": "new-hr@example.com"}, headers=api.auth("admin")
    )
    assert response.status_code == 201, response.text
    assert queued_messages() == 0
    proxy.restore()
    # the relay (run by the scheduler every minute) queues the mail whose job was not queued
    relay = functools.partial(api.container.mail_delivery().relay, grace=timedelta(0))
    relayed = await api.in_app(relay)
    assert relayed == 1
    assert queued_messages() == 1


@pytest.mark.parametrize(
    ("settings_path", "settings", "key", "start", "logs"),
    [
        (
            "/api/v1/clickup-int/settings/",
            {"team_id": "1", "space_id": "2", "list_id": "3"},
            {"clickup_api_key": "pk_fault_test"},
            "/api/v1/clickup-int/sync-tasks/",
            "/api/v1/clickup-int/sync-logs/",
        ),
        (
            "/api/v1/notion-int/settings/",
            {"database_id": "0123456789abcdef0123456789abcdef"},
            {"notion_integration_token": "secret_fault_test"},
            "/api/v1/notion-int/sync-pages/",
            "/api/v1/notion-int/sync-logs/",
        ),
    ],
    ids=["clickup", "notion"],
)
async def test_a_sync_asked_for_with_redis_cut_is_refused_and_its_log_not_left_pending(
    api: Api,
    redis_proxy: tuple[TcpProxy, str],
    settings_path: str,
    settings: dict[str, str],
    key: dict[str, str],
    start: str,
    logs: str,
) -> None:
    proxy, _ = redis_proxy
    hr = api.auth("hr")
    me = api.users["hr"].pk
    assert (await api.client.patch(f"/api/users/{me}/", json=key, headers=hr)).status_code == 200
    saved = await api.client.post(settings_path, json=settings, headers=hr)
    assert saved.status_code in (200, 201), saved.text
    proxy.cut()
    # the sync is refused with a clear 503, and its log says why instead of staying pending
    refused = await api.client.post(start, headers=hr)
    assert refused.status_code == 503, refused.text
    assert "queue" in refused.json()["message"]
    [log] = (await api.client.get(logs, headers=hr)).json()["results"]
    assert log["status"] == "error"
    assert "start it again" in log["error"]
    # once Redis is back the same request is queued
    proxy.restore()
    started = await api.client.post(start, headers=hr)
    assert started.status_code == 202, started.text
    assert queued_messages() == 1
