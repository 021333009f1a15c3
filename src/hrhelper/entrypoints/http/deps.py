"""Request-scoped dependencies: the bridge from Litestar handlers to the container.

Handlers ask for services by name (``health: HealthProbes``); each name maps to a container
provider here. The container object itself is never injected: Litestar validates injected
values by type and dependency-injector containers are dynamic classes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from litestar.di import Provide

from hrhelper.container import Container
from hrhelper.entrypoints.http.pagination import page_params
from hrhelper.ports.clock import Clock
from hrhelper.ports.health import Probe

__all__ = ["HealthProbes", "build_dependencies"]


@dataclass(frozen=True)
class HealthProbes:
    database: Probe
    redis: Probe
    cache: Probe
    clock: Clock


def _provide(factory: Callable[[], Any]) -> Provide:
    return Provide(factory, sync_to_thread=False)


def build_dependencies(container: Container) -> dict[str, Provide]:
    return {
        "health": _provide(
            lambda: HealthProbes(
                database=container.database_probe(),
                redis=container.redis_probe(),
                cache=container.cache_probe(),
                clock=container.clock(),
            )
        ),
        "pages": Provide(page_params),
        "auth": _provide(lambda: container.auth_service()),
        "hr_service": _provide(lambda: container.hr_service()),
        "users": _provide(lambda: container.user_service()),
        "profiles": _provide(lambda: container.profile_service()),
        "grades": _provide(lambda: container.grade_service()),
        "vacancies": _provide(lambda: container.vacancy_service()),
        "interviewers": _provide(lambda: container.interviewer_service()),
        "rates": _provide(lambda: container.rate_service()),
        "huntflow": _provide(lambda: container.huntflow_service()),
        "chats": _provide(lambda: container.chat_service()),
        "telegram": _provide(lambda: container.telegram_service()),
        "clickup": _provide(lambda: container.clickup_service()),
        "clickup_cards": _provide(lambda: container.clickup_cards()),
        "bulk_imports": _provide(lambda: container.bulk_import_service()),
        "notion": _provide(lambda: container.notion_service()),
        "google": _provide(lambda: container.google_service()),
        "secure_cookies": _provide(lambda: container.settings().is_production),
    }
