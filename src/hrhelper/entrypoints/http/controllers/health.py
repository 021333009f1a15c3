from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Literal

import msgspec
from litestar import Controller, Response, get
from litestar.di import NamedDependency
from litestar.openapi import ResponseSpec

from hrhelper.entrypoints.http.deps import HealthProbes
from hrhelper.ports.health import ProbeState

__all__ = ["HealthController", "HealthReport"]


class HealthServices(msgspec.Struct):
    database: ProbeState
    redis: ProbeState
    cache: ProbeState


class HealthReport(msgspec.Struct):
    status: Literal["healthy", "unhealthy"]
    timestamp: datetime
    services: HealthServices


class HealthController(Controller):
    path = "/api/health"
    tags = ["Common"]  # noqa: RUF012 - Litestar reads class attributes

    @get(
        "/",
        operation_id="health_check",
        summary="Health check",
        opt={"public": True},
        responses={
            503: ResponseSpec(HealthReport, description="The database does not answer."),
        },
    )
    async def health(self, health: NamedDependency[HealthProbes]) -> Response[HealthReport]:
        """State of the service and what it depends on: 200 when the database answers,
        503 when it does not. Redis is ``disabled`` in the embedded mode."""
        database, redis, cache = await asyncio.gather(
            health.database.check(), health.redis.check(), health.cache.check()
        )
        healthy = database == "healthy" and redis != "unhealthy" and cache == "healthy"
        report = HealthReport(
            status="healthy" if healthy else "unhealthy",
            timestamp=health.clock.now().replace(microsecond=0),
            services=HealthServices(database=database, redis=redis, cache=cache),
        )
        return Response(report, status_code=200 if database == "healthy" else 503)
