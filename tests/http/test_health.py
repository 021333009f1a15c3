"""GET /api/health/ as the spec shows it, in the embedded mode and with Redis, and with the
database or Redis out of reach."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from hrhelper.settings import Settings
from tests.http.conftest import open_http
from tests.support import services

UNREACHABLE_DATABASE = "postgresql://postgres@127.0.0.1:1/nothing"  # port 1: refused at once
UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


async def health(settings: Settings) -> tuple[int, dict[str, object]]:
    async for http in open_http(settings, with_users=False):
        response = await http.client.get("/api/health/")
        assert response.headers["content-type"].startswith("application/json")
        return response.status_code, response.json()
    raise AssertionError("no app")


def assert_timestamp_is_now(body: dict[str, object]) -> None:
    stamp = str(body["timestamp"])
    assert stamp.endswith("Z"), stamp
    moment = datetime.fromisoformat(stamp)
    assert abs((datetime.now(UTC) - moment).total_seconds()) < 120


async def test_embedded_mode_is_healthy_with_redis_disabled(
    make_settings: Callable[..., Settings], http_database: str
) -> None:
    status, body = await health(make_settings(DATABASE_URL=http_database))
    assert status == 200
    assert set(body) == {"status", "timestamp", "services"}
    assert body["status"] == "healthy"
    assert body["services"] == {"database": "healthy", "redis": "disabled", "cache": "healthy"}
    assert_timestamp_is_now(body)


async def test_an_unreachable_database_is_503_unhealthy(
    make_settings: Callable[..., Settings],
) -> None:
    status, body = await health(make_settings(DATABASE_URL=UNREACHABLE_DATABASE))
    assert status == 503
    assert body["status"] == "unhealthy"
    assert body["services"] == {"database": "unhealthy", "redis": "disabled", "cache": "healthy"}


async def test_a_reachable_redis_is_healthy(
    make_settings: Callable[..., Settings], http_database: str
) -> None:
    settings = make_settings(
        DATABASE_URL=http_database,
        REDIS_URL=services.test_redis_url(),
        DRAMATIQ_NAMESPACE=f"hrhelper-test-{uuid.uuid4().hex[:8]}",
    )
    status, body = await health(settings)
    assert (status, body["status"]) == (200, "healthy")
    assert body["services"] == {"database": "healthy", "redis": "healthy", "cache": "healthy"}


async def test_an_unreachable_redis_is_reported_unhealthy(
    make_settings: Callable[..., Settings], http_database: str
) -> None:
    settings = make_settings(DATABASE_URL=http_database, REDIS_URL=UNREACHABLE_REDIS)
    status, body = await health(settings)
    # the database still answers, so the service is up (200), but not healthy
    assert (status, body["status"]) == (200, "unhealthy")
    assert body["services"] == {"database": "healthy", "redis": "unhealthy", "cache": "unhealthy"}
