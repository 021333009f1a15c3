"""OpenAPI: ``/api/schema/`` (JSON), ``/api/swagger/`` and ``/api/redoc/``.

The UI bundles come from an installed package and are served by the app itself, so the pages
work with no internet.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import drf_spectacular_sidecar
import msgspec
from litestar import Controller, MediaType, Request, Response, get
from litestar._openapi.schema_generation.plugins.struct import StructSchemaPlugin
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin, RedocRenderPlugin, SwaggerRenderPlugin
from litestar.openapi.spec import (
    Components,
    Operation,
    RequestBody,
    Schema,
    SecurityScheme,
)
from litestar.router import Router
from litestar.static_files import create_static_files_router
from litestar.typing import FieldDefinition

from hrhelper import __version__
from hrhelper.entrypoints.http.openapi_errors import (
    route_facts,
    with_error_responses,
    with_public_operations,
)
from hrhelper.entrypoints.http.openapi_examples import with_examples

__all__ = [
    "SCHEMA_URL",
    "SESSION_COOKIE",
    "ClosedStructSchemas",
    "DocsController",
    "OptionalBody",
    "docs_static_router",
    "openapi_config",
]

SESSION_COOKIE = "hrhelper_session"
SCHEMA_URL = "/api/schema/"
PUBLIC_OPT = {"public": True}
_STATIC_URL = "/api/static/docs"
_SERVED = "served_openapi_schema"
_FAVICON = f'<link rel="icon" href="{_STATIC_URL}/swagger-ui-dist/favicon-32x32.png">'
_STATIC_DIR = Path(drf_spectacular_sidecar.__file__).parent / "static" / "drf_spectacular_sidecar"


class _SpecPathsJson(JsonRenderPlugin):
    """Litestar matches paths with or without a trailing slash but prints them without;
    the schema shows them as the spec writes them, with the slash."""

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        return super().render(request, _served(request, openapi_schema))


def _served(request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> dict[str, Any]:
    """The schema as served, made once per app (its routes are fixed once it stands): the
    error answers of every operation and the public ones needing no credentials
    (``openapi_errors``), an example for each JSON body (``openapi_examples``), and the paths
    as the spec writes them."""
    served: dict[str, Any] | None = request.app.state.get(_SERVED)
    if served is None:
        facts = route_facts(request.app)
        documented = with_public_operations(with_error_responses(openapi_schema, facts), facts)
        served = request.app.state[_SERVED] = _with_spec_paths(with_examples(documented))
    return served


def _with_spec_paths(openapi_schema: dict[str, Any]) -> dict[str, Any]:
    paths = openapi_schema.get("paths") or {}
    return {
        **openapi_schema,
        "paths": {
            (p if p.endswith("/") or not p.startswith("/api/") else p + "/"): v
            for p, v in paths.items()
        },
    }


@dataclass
class OptionalBody(Operation):
    """The operation of a handler whose body has a default (``data: X | None = None``):
    Litestar documents every request body as required."""

    def __post_init__(self) -> None:
        if isinstance(self.request_body, RequestBody):
            self.request_body.required = False


class ClosedStructSchemas(StructSchemaPlugin):
    """A struct that refuses unknown fields (every request body) is documented with
    ``additionalProperties: false``; Litestar leaves every object open, so a client (or a
    fuzzer) reading the schema would think it may send fields the app answers with a 400."""

    def to_openapi_schema(self, field_definition: FieldDefinition, schema_creator: Any) -> Schema:
        schema = super().to_openapi_schema(field_definition, schema_creator)
        info = msgspec.inspect.type_info(field_definition.type_)
        if isinstance(info, msgspec.inspect.StructType) and info.forbid_unknown_fields:
            schema.additional_properties = False
        return schema


class _LocalSwagger(SwaggerRenderPlugin):
    @staticmethod
    def get_openapi_json_route(request: Request[Any, Any, Any]) -> str:
        return SCHEMA_URL


class _LocalRedoc(RedocRenderPlugin):
    @staticmethod
    def get_openapi_json_route(request: Request[Any, Any, Any]) -> str:
        return SCHEMA_URL


_SWAGGER = _LocalSwagger(
    js_url=f"{_STATIC_URL}/swagger-ui-dist/swagger-ui-bundle.js",
    css_url=f"{_STATIC_URL}/swagger-ui-dist/swagger-ui.css",
    standalone_preset_js_url=f"{_STATIC_URL}/swagger-ui-dist/swagger-ui-standalone-preset.js",
    favicon=_FAVICON,
)
_REDOC = _LocalRedoc(
    js_url=f"{_STATIC_URL}/redoc/bundles/redoc.standalone.js", google_fonts=False, favicon=_FAVICON
)


_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.DOTALL)


def _page_csp(html: bytes) -> str:
    """The pages' own scripts come from this server; their one inline script (which carries
    the schema) is allowed by its hash, so no other inline script can run. Both UIs set
    inline styles and use data: images; ReDoc searches in a blob: worker. (Checked in a
    headless Chromium: both pages render with no violation but ReDoc's CDN logo, which is
    meant to stay blocked.)"""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(body).digest()).decode() + "'"
        for body in _INLINE_SCRIPT.findall(html)
    )
    return (
        f"default-src 'none'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src blob:; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    )


def _page(html: bytes) -> Response[bytes]:
    return Response(
        html, media_type=MediaType.HTML, headers={"Content-Security-Policy": _page_csp(html)}
    )


def openapi_config() -> OpenAPIConfig:
    """The schema router lives at /api/schema only: mounted at /api, Litestar's catch-all for
    unknown documentation pages would answer every unknown /api/x path with an HTML 404."""
    return OpenAPIConfig(
        title="hrhelper API",
        version=__version__,
        description="One API for recruiting teams. Errors: "
        '`{"error": kind, "message": text, "details": {field: [messages]}}`.',
        path=SCHEMA_URL.rstrip("/"),
        use_handler_docstrings=True,
        components=Components(
            security_schemes={
                "BearerAuth": SecurityScheme(type="http", scheme="bearer", bearer_format="JWT"),
                "SessionCookie": SecurityScheme(
                    type="apiKey", name=SESSION_COOKIE, security_scheme_in="cookie"
                ),
            }
        ),
        security=[{"BearerAuth": []}, {"SessionCookie": []}],
        render_plugins=[_SpecPathsJson(path=["/", "/openapi.json"])],
        openapi_router=Router(
            SCHEMA_URL.rstrip("/"), route_handlers=[], include_in_schema=False, opt=PUBLIC_OPT
        ),
    )


class DocsController(Controller):
    """Swagger UI and ReDoc pages with the schema embedded (the same one /api/schema/ serves)."""

    path = "/api"
    include_in_schema = False
    opt = PUBLIC_OPT

    @get("/swagger/", media_type=MediaType.HTML, sync_to_thread=False)
    def swagger(self, request: Request[Any, Any, Any]) -> Response[bytes]:
        return _page(
            _SWAGGER.render(request, _served(request, request.app.openapi_schema.to_schema()))
        )

    @get("/redoc/", media_type=MediaType.HTML, sync_to_thread=False)
    def redoc(self, request: Request[Any, Any, Any]) -> Response[bytes]:
        return _page(
            _REDOC.render(request, _served(request, request.app.openapi_schema.to_schema()))
        )


def docs_static_router() -> Router:
    return create_static_files_router(
        path=_STATIC_URL,
        directories=[_STATIC_DIR],
        include_in_schema=False,
        name="docs-static",
        opt=PUBLIC_OPT,
    )
