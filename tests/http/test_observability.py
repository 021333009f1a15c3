"""Request ids, one log line per request, and Prometheus metrics."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import structlog
from prometheus_client.parser import text_string_to_metric_families
from structlog.testing import capture_logs

from hrhelper.entrypoints.logging import configure_logging
from hrhelper.settings import Settings
from tests.http.conftest import Http

GENERATED_ID = re.compile(r"[0-9a-f]{32}")


# --- X-Request-ID ---------------------------------------------------------------------------


async def test_every_answer_carries_a_fresh_request_id(http: Http) -> None:
    paths = ["/api/health/", "/nowhere/", "/test/boom/", "/api/auth/me/"] * 2  # 200 to 500
    ids = [(await http.client.get(path)).headers["x-request-id"] for path in paths]
    assert all(GENERATED_ID.fullmatch(i) for i in ids), ids
    assert len(set(ids)) == len(ids)


async def test_a_sane_client_request_id_is_echoed_and_a_bad_one_replaced(http: Http) -> None:
    sane = "req-2026.11_23-abc"
    response = await http.client.get("/api/health/", headers={"X-Request-ID": sane})
    assert response.headers["x-request-id"] == sane
    for bad in ("has spaces", "x" * 129, "<script>", ""):
        response = await http.client.get("/api/health/", headers={"X-Request-ID": bad})
        assert GENERATED_ID.fullmatch(response.headers["x-request-id"]), bad


# --- the request log ------------------------------------------------------------------------


async def test_one_log_event_per_request_with_who_what_and_how_long(http: Http) -> None:
    with capture_logs(processors=[structlog.contextvars.merge_contextvars]) as events:
        health = await http.client.get("/api/health/", headers={"X-Request-ID": "req-1"})
        me = await http.client.get("/api/auth/me/", headers=http.auth("hr"))
        missing = await http.client.get("/nowhere/")
        boom = await http.client.get("/test/boom/")
    lines = [e for e in events if e["event"] == "request"]
    assert [(e["method"], e["path"], e["status"]) for e in lines] == [
        ("GET", "/api/health/", 200),
        ("GET", "/api/auth/me/", 200),
        ("GET", "/nowhere/", 404),
        ("GET", "/test/boom/", 500),
    ]
    responses = [health, me, missing, boom]
    assert [e["request_id"] for e in lines] == [r.headers["x-request-id"] for r in responses]
    assert [e["user"] for e in lines] == [None, http.user_ids["hr"], None, None]
    assert all(isinstance(e["duration_ms"], float) and e["duration_ms"] >= 0 for e in lines)
    # the failure is logged once more, with its request id, for whoever investigates it
    [failure] = [e for e in events if e["event"] == "unhandled_error"]
    assert failure["request_id"] == boom.headers["x-request-id"]


@pytest.fixture
def json_logs(make_settings: Callable[..., Settings]) -> Iterator[io.StringIO]:
    """The production logging set-up, writing into a buffer; restored afterwards."""
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    quieted = {
        name: logging.getLogger(name).level for name in ("uvicorn.access", "httpx", "httpcore")
    }
    try:
        configure_logging(make_settings(ENVIRONMENT="production", SECRET_KEY="k" * 40))
        structlog.configure(cache_logger_on_first_use=False)  # keep other tests' loggers free
        buffer = io.StringIO()
        handler = root.handlers[0]
        assert isinstance(handler, logging.StreamHandler)
        handler.setStream(buffer)
        yield buffer
    finally:
        structlog.reset_defaults()
        root.handlers, _ = saved
        root.setLevel(saved[1])
        for name, level in quieted.items():
            logging.getLogger(name).setLevel(level)


async def test_production_writes_each_request_as_one_json_line(
    http: Http, json_logs: io.StringIO
) -> None:
    await http.client.get("/api/users/", headers={**http.auth("admin"), "X-Request-ID": "r-42"})
    lines = [json.loads(line) for line in json_logs.getvalue().splitlines()]
    [entry] = [line for line in lines if line.get("event") == "request"]
    assert entry["request_id"] == "r-42"
    assert (entry["method"], entry["path"], entry["status"]) == ("GET", "/api/users/", 200)
    assert entry["user"] == http.user_ids["admin"]
    assert entry["timestamp"].endswith("Z")
    assert entry["level"] == "info"
    assert entry["duration_ms"] >= 0


# --- metrics --------------------------------------------------------------------------------


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def value(found: dict[Any, float], name: str, **labels: str) -> float:
    key = (name, tuple(sorted({"app_name": "hrhelper", "method": "GET", **labels}.items())))
    return found.get(key, 0.0)


async def test_metrics_count_requests_by_route_and_status_with_a_latency_histogram(
    http: Http,
) -> None:
    # The registry is process-wide: compare before and after
    before = samples((await http.client.get("/metrics")).text)
    for _ in range(3):
        await http.client.get("/api/health/")
    await http.client.get("/test/items/", params={"total": 5})
    await http.client.get("/test/items/", params={"total": 5, "page": 9})  # 404 on the route
    await http.client.get("/test/boom/")
    await http.client.get("/no/such/route/")
    await http.client.request("BREW", "/api/health/")
    await http.client.delete("/api/health/")
    response = await http.client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    after = samples(response.text)

    def grew(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    health = {"path": "/api/health", "status_code": "200"}
    assert grew("hrhelper_requests_total", **health) == 3
    assert grew("hrhelper_request_duration_seconds_count", **health) == 3
    assert grew("hrhelper_request_duration_seconds_bucket", **health, le="+Inf") == 3
    assert grew("hrhelper_request_duration_seconds_sum", **health) > 0
    # one route template per route, whatever its query, split by status
    assert grew("hrhelper_requests_total", path="/test/items", status_code="200") == 1
    assert grew("hrhelper_requests_total", path="/test/items", status_code="404") == 1
    # and server errors are counted on their own too
    boom = {"path": "/test/boom", "status_code": "500"}
    assert grew("hrhelper_requests_total", **boom) == 1
    assert grew("hrhelper_requests_error_total", **boom) == 1

    # requests no route answered are counted by method and status, never by path
    def unmatched(method: str, status: str) -> float:
        key = ("hrhelper_requests_unmatched_total", (("method", method), ("status_code", status)))
        return after.get(key, 0.0) - before.get(key, 0.0)

    assert unmatched("GET", "404") == 1
    assert unmatched("other", "405") == 1
    assert unmatched("DELETE", "405") == 1
    assert "/no/such/route" not in response.text
