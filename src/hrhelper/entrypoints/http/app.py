"""The application factory: ``create_app(container)``; nothing happens at import time."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from functools import partial
from typing import Any

from litestar import Litestar, Request
from litestar.middleware import DefineMiddleware
from litestar.plugins.prometheus import PrometheusConfig, PrometheusController
from litestar.types import ControllerRouterHandler

from hrhelper.adapters.queue.inprocess import InProcessJobQueue
from hrhelper.container import Container, close_container
from hrhelper.domain.identity.model import User
from hrhelper.entrypoints.http.auth import AuthMiddleware, require_authentication
from hrhelper.entrypoints.http.controllers.auth import AuthController
from hrhelper.entrypoints.http.controllers.clickup import (
    ClickUpController,
    LegacyClickUpController,
)
from hrhelper.entrypoints.http.controllers.clickup_import import ClickUpImportController
from hrhelper.entrypoints.http.controllers.gemini import GeminiController
from hrhelper.entrypoints.http.controllers.google import (
    GoogleCallbackController,
    GoogleController,
    GoogleLegacyController,
)
from hrhelper.entrypoints.http.controllers.grades import GradesController
from hrhelper.entrypoints.http.controllers.health import HealthController
from hrhelper.entrypoints.http.controllers.hr import HrAdminController, HrSelfController
from hrhelper.entrypoints.http.controllers.huntflow import HuntflowController
from hrhelper.entrypoints.http.controllers.interviewers import InterviewersController
from hrhelper.entrypoints.http.controllers.media import MediaController
from hrhelper.entrypoints.http.controllers.notion import (
    LegacyNotionController,
    NotionController,
)
from hrhelper.entrypoints.http.controllers.notion_import import NotionImportController
from hrhelper.entrypoints.http.controllers.rates import CurrencyRatesController
from hrhelper.entrypoints.http.controllers.telegram import TelegramController
from hrhelper.entrypoints.http.controllers.users import UsersController
from hrhelper.entrypoints.http.controllers.vacancies import VacanciesController
from hrhelper.entrypoints.http.cors import CorsMiddleware
from hrhelper.entrypoints.http.deps import build_dependencies
from hrhelper.entrypoints.http.docs import (
    ClosedStructSchemas,
    DocsController,
    docs_static_router,
    openapi_config,
)
from hrhelper.entrypoints.http.errors import exception_handlers
from hrhelper.entrypoints.http.middleware import RequestLogMiddleware, security_headers
from hrhelper.entrypoints.http.path_ids import refuse_numbers_beyond_bigint
from hrhelper.entrypoints.http.strict_body import refuse_coerced_json
from hrhelper.entrypoints.jobs import JOBS, should_retry
from hrhelper.entrypoints.scheduler import default_schedule, run_schedule
from hrhelper.settings import Settings

__all__ = ["create_app"]


class MetricsController(PrometheusController):
    """Prometheus scrapes without credentials; keep /metrics off the public proxy."""

    path = "/metrics"
    include_in_schema = False
    opt = {"public": True}  # noqa: RUF012 - Litestar reads class attributes


def _register_inprocess_jobs(queue: InProcessJobQueue, container: Container) -> None:
    for spec in JOBS:
        queue.register(
            spec.name,
            partial(spec.run, container),
            max_retries=spec.max_retries,
            should_retry=should_retry,
        )


def _lifespan(container: Container):  # type: ignore[no-untyped-def]
    @contextlib.asynccontextmanager
    async def lifespan(_app: Litestar) -> AsyncIterator[None]:
        queue = container.job_queue()
        schedule: asyncio.Task[None] | None = None
        if isinstance(queue, InProcessJobQueue):
            _register_inprocess_jobs(queue, container)
            settings: Settings = container.settings()
            ticks = default_schedule(currency_rates=bool(settings.currency_rates_url))
            schedule = asyncio.create_task(run_schedule(queue, container.clock(), ticks))
        try:
            yield
        finally:
            if schedule is not None:
                schedule.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await schedule
            await close_container(container)

    return lifespan


def _user_loader(container: Container) -> Callable[[str, str], Awaitable[User | None]]:
    async def load(kind: str, credential: str) -> User | None:
        return await container.auth_service().authenticate(kind, credential)

    return load


async def _check_request(request: Request[Any, Any, Any]) -> None:
    """Litestar runs a single before-request hook (the innermost layer's): the app's checks
    of the request, after the guards and before the handler's arguments are read."""
    refuse_numbers_beyond_bigint(request)
    await refuse_coerced_json(request)


def create_app(
    container: Container, *, extra_route_handlers: Sequence[ControllerRouterHandler] = ()
) -> Litestar:
    """The API on ``container``; ``extra_route_handlers`` lets tests mount routes of their own
    (production passes none)."""
    settings: Settings = container.settings()
    prometheus = PrometheusConfig(
        app_name="hrhelper",
        prefix="hrhelper",
        group_path=True,  # label by route template, not by concrete path (bounded cardinality)
        exclude=["^/metrics", "^/api/static/"],
    )
    app = Litestar(
        route_handlers=[
            HealthController,
            MetricsController,
            docs_static_router(),
            DocsController,
            AuthController,
            HrSelfController,
            HrAdminController,
            UsersController,
            GradesController,
            CurrencyRatesController,
            VacanciesController,
            InterviewersController,
            MediaController,
            HuntflowController,
            GeminiController,
            TelegramController,
            ClickUpController,
            LegacyClickUpController,
            ClickUpImportController,
            NotionController,
            LegacyNotionController,
            NotionImportController,
            GoogleController,
            GoogleCallbackController,
            GoogleLegacyController,
            *extra_route_handlers,
        ],
        guards=[require_authentication],
        before_request=_check_request,
        dependencies=build_dependencies(container),
        exception_handlers=exception_handlers,
        middleware=[
            prometheus.middleware,
            DefineMiddleware(AuthMiddleware, load_user=_user_loader(container)),
        ],
        openapi_config=openapi_config(),
        plugins=[ClosedStructSchemas()],
        request_max_body_size=settings.max_request_body_bytes,
        lifespan=[_lifespan(container)],
        debug=False,  # never render tracebacks, whatever the environment
        logging_config=None,  # structlog is configured by the entrypoint
    )
    # Route middleware only runs for a matched route. The request log, X-Request-ID and the
    # security headers (and CORS) wrap the whole handler instead, so 404/405 answers and errors
    # raised by other middleware get them too.
    handler = app.asgi_handler
    if settings.cors_origins:
        handler = CorsMiddleware(handler, settings.cors_origins)
    app.asgi_handler = RequestLogMiddleware(
        handler, security_headers(production=settings.is_production)
    )
    return app
