"""Headers every answer carries (nosniff, no framing, referrer policy, a CSP that forbids
everything on JSON answers and lets the documentation pages run their own local assets), HSTS
in production only, and CORS only for the origins named by CORS_ALLOWED_ORIGINS."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import AsyncIterator, Callable

import pytest

from hrhelper.settings import Settings
from tests.http.conftest import Http, open_http

SCRIPT_TAG = re.compile(r"<script([^>]*)>(.*?)</script>", re.DOTALL)
ALLOWED = "https://app.example"


def directives(policy: str) -> dict[str, list[str]]:
    parsed: dict[str, list[str]] = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def assert_common_headers(headers: dict[str, str] | object) -> None:
    h = headers  # httpx.Headers: case-insensitive
    assert h["x-content-type-options"] == "nosniff"  # type: ignore[index]
    assert h["x-frame-options"] == "DENY"  # type: ignore[index]
    assert h["referrer-policy"] == "same-origin"  # type: ignore[index]
    csp = directives(h["content-security-policy"])  # type: ignore[index]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["default-src"] == ["'none'"]


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/api/health/", 200),
        ("GET", "/api/auth/me/", 401),
        ("GET", "/api/no-such-thing/", 404),
        ("DELETE", "/api/health/", 405),
        ("GET", "/test/boom/", 500),
        ("GET", "/api/schema/", 200),
    ],
)
async def test_every_answer_carries_the_security_headers(
    http: Http, method: str, path: str, status: int
) -> None:
    response = await http.client.request(method, path)
    assert response.status_code == status
    assert_common_headers(response.headers)
    assert "strict-transport-security" not in response.headers  # not in development


async def test_json_answers_may_load_and_run_nothing(http: Http) -> None:
    response = await http.client.get("/api/health/")
    assert directives(response.headers["content-security-policy"]) == {
        "default-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'none'"],
    }


@pytest.mark.parametrize("page", ["/api/swagger/", "/api/redoc/"])
async def test_the_doc_pages_policy_allows_exactly_their_own_scripts(http: Http, page: str) -> None:
    response = await http.client.get(page)
    assert response.status_code == 200
    assert_common_headers(response.headers)
    csp = directives(response.headers["content-security-policy"])
    scripts = csp["script-src"]
    assert "'unsafe-inline'" not in scripts
    assert "'unsafe-eval'" not in scripts
    assert "'self'" in scripts
    inline = 0
    for attributes, body in SCRIPT_TAG.findall(response.text):
        src = re.search(r"""src=["']([^"']+)""", attributes)
        if src:  # an external script: served by the app itself, so 'self' covers it
            assert src.group(1).startswith("/")
            assert (await http.client.get(src.group(1))).status_code == 200
            continue
        inline += 1
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in scripts
    assert inline == 1  # the one that starts the UI with the embedded schema
    # stylesheets are local, and the UIs' inline styles, data: icons and ReDoc's worker allowed
    for href in re.findall(r"""<link[^>]*href=["']([^"']+)""", response.text):
        assert href.startswith("/")
        assert (await http.client.get(href)).status_code == 200
    assert csp["style-src"] == ["'self'", "'unsafe-inline'"]
    assert "data:" in csp["img-src"]
    assert csp["connect-src"] == ["'self'"]  # Swagger's "try it out" calls this API only
    assert csp["worker-src"] == ["blob:"]


@pytest.fixture
async def production_http(
    make_settings: Callable[..., Settings], http_database: str
) -> AsyncIterator[Http]:
    settings = make_settings(
        DATABASE_URL=http_database, ENVIRONMENT="production", SECRET_KEY="s" * 40
    )
    async for value in open_http(settings, with_users=False):
        yield value


async def test_production_adds_hsts(production_http: Http) -> None:
    for path in ("/api/health/", "/api/no-such-thing/"):
        response = await production_http.client.get(path)
        assert response.headers["strict-transport-security"] == (
            "max-age=31536000; includeSubDomains"
        )
        assert_common_headers(response.headers)


async def test_without_allowed_origins_there_is_no_cors(http: Http) -> None:
    response = await http.client.get("/api/health/", headers={"Origin": ALLOWED})
    assert "access-control-allow-origin" not in response.headers
    preflight = await http.client.options(
        "/api/auth/me/",
        headers={"Origin": ALLOWED, "Access-Control-Request-Method": "GET"},
    )
    assert "access-control-allow-origin" not in preflight.headers


@pytest.fixture
async def cors_http(
    make_settings: Callable[..., Settings], http_database: str
) -> AsyncIterator[Http]:
    settings = make_settings(
        DATABASE_URL=http_database,
        CORS_ALLOWED_ORIGINS=f"{ALLOWED}, https://admin.example",
    )
    async for value in open_http(settings):
        yield value


async def test_a_listed_origin_gets_cors_with_credentials(cors_http: Http) -> None:
    preflight = await cors_http.client.options(
        "/api/auth/me/",
        headers={
            "Origin": ALLOWED,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization",
        },
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == ALLOWED
    assert preflight.headers["access-control-allow-credentials"] == "true"
    assert "PATCH" in preflight.headers["access-control-allow-methods"]
    assert preflight.headers["access-control-allow-headers"] == "authorization"
    assert_common_headers(preflight.headers)
    response = await cors_http.client.get(
        "/api/auth/me/", headers={"Origin": ALLOWED, **cors_http.auth("hr")}
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == ALLOWED
    assert response.headers["access-control-allow-credentials"] == "true"
    assert "origin" in response.headers.get("vary", "").lower()
    assert "X-Request-ID" in response.headers["access-control-expose-headers"]


async def test_an_unlisted_origin_gets_no_cors(cors_http: Http) -> None:
    evil = "https://evil.example"
    response = await cors_http.client.get(
        "/api/auth/me/", headers={"Origin": evil, **cors_http.auth("hr")}
    )
    assert response.headers.get("access-control-allow-origin") not in (evil, "*")
    assert "access-control-allow-credentials" not in response.headers
    preflight = await cors_http.client.options(
        "/api/auth/me/", headers={"Origin": evil, "Access-Control-Request-Method": "GET"}
    )
    assert preflight.headers.get("access-control-allow-origin") not in (evil, "*")
    assert "access-control-allow-credentials" not in preflight.headers


async def test_an_origin_that_only_resembles_a_listed_one_gets_no_cors(cors_http: Http) -> None:
    for origin in ("https://app.example.evil.example", "https://appXexample", "http://app.example"):
        response = await cors_http.client.get("/api/health/", headers={"Origin": origin})
        assert "access-control-allow-origin" not in response.headers, origin
