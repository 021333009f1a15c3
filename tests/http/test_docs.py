"""The OpenAPI schema and its two pages, which must work with no internet: every script and
stylesheet they load comes from the app itself."""

from __future__ import annotations

import re

import pytest
from litestar import Litestar
from litestar.routes import HTTPRoute

from tests.http.conftest import Http

ASSET = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""")


async def test_the_schema_is_json_with_bearer_and_cookie_security(http: Http) -> None:
    response = await http.client.get("/api/schema/")
    assert response.status_code == 200
    # application/vnd.oai.openapi+json: JSON, named as OpenAPI asks
    assert response.headers["content-type"].split(";")[0].endswith("json")
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    schemes = schema["components"]["securitySchemes"]
    assert schemes["BearerAuth"] == {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    assert schemes["SessionCookie"] == {
        "type": "apiKey",
        "name": "hrhelper_session",
        "in": "cookie",
    }
    assert {"BearerAuth": []} in schema["security"]
    # paths are shown as the spec writes them, with the trailing slash
    assert "/api/health/" in schema["paths"]
    assert "/api/auth/login/" in schema["paths"]
    assert "/api/health" not in schema["paths"]


@pytest.mark.parametrize("page", ["/api/swagger/", "/api/redoc/"])
async def test_the_doc_pages_load_only_local_assets_and_those_answer(http: Http, page: str) -> None:
    response = await http.client.get(page)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    # no CDN: nothing absolute in the page at all
    assert "//cdn" not in html
    assert "unpkg" not in html
    assert "jsdelivr" not in html
    assert "fonts.googleapis" not in html
    assets = ASSET.findall(html)
    scripts = [a for a in assets if a.endswith(".js")]
    assert scripts, html
    for asset in assets:
        assert asset.startswith("/"), asset
        assert not asset.startswith("//"), asset
        loaded = await http.client.get(asset)
        assert loaded.status_code == 200, asset
        assert len(loaded.content) > 1_000 or asset.endswith(".png"), asset
    # and the schema it embeds shows the paths as the spec writes them
    assert '"/api/health/"' in html
    assert '"/api/health"' not in html


def _public_operations(app: Litestar) -> set[tuple[str, str]]:
    """(path as the schema shows it, method) of every documented route the guard lets anyone
    call (the schema writes the API's paths with their trailing slash)."""
    return {
        (route.path.rstrip("/") + ("/" if route.path.startswith("/api/") else ""), method.lower())
        for route in app.routes
        if isinstance(route, HTTPRoute)
        for handler in route.route_handlers
        if handler.opt.get("public") and handler.resolve_include_in_schema()
        for method in handler.http_methods
    }


async def test_the_operations_anyone_may_call_say_they_need_no_credentials(http: Http) -> None:
    schema = (await http.client.get("/api/schema/")).json()
    documented = {
        (path, method): operation.get("security")
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    }
    public = _public_operations(http.client.app)
    assert ("/api/auth/login/", "post") in public
    assert ("/api/health/", "get") in public
    assert public <= set(documented)
    for operation, security in documented.items():
        # an empty requirement: no credentials needed; the others keep the schema's own
        # (a bearer token or the session cookie)
        assert security == ([{}] if operation in public else None), operation
    response = await http.client.get("/api/health/")
    assert response.status_code == 200, response.text


async def test_a_body_the_operation_can_do_without_is_documented_as_optional(
    http: Http,
) -> None:
    paths = (await http.client.get("/api/schema/")).json()["paths"]
    assert paths["/api/auth/logout/"]["post"]["requestBody"]["required"] is False
    assert paths["/api/auth/login/"]["post"]["requestBody"]["required"] is True
    response = await http.client.post("/api/auth/logout/", headers=http.auth("user"))
    assert response.status_code == 200, response.text


async def test_a_body_that_refuses_unknown_fields_is_documented_as_closed(http: Http) -> None:
    schema = (await http.client.get("/api/schema/")).json()
    components = schema["components"]["schemas"]
    body = schema["paths"]["/api/vacancies/"]["post"]["requestBody"]["content"]
    name = body["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert components[name]["additionalProperties"] is False
    # as the app answers: a field the body does not have is a 400
    response = await http.client.post(
        "/api/vacancies/", json={"name": "Go Developer", "salary": 1}, headers=http.auth("hr")
    )
    assert response.status_code == 400, response.text
    # answers stay open: a client must take fields added later
    vacancy = schema["paths"]["/api/vacancies/"]["post"]["responses"]["201"]["content"]
    answer = vacancy["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert "additionalProperties" not in components[answer]
