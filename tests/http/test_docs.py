"""The OpenAPI schema and its two pages, which must work with no internet: every script and
stylesheet they load comes from the app itself."""

from __future__ import annotations

import re

import pytest

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
