"""An app on a real database with one signed-in user per role."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar

import pytest
from dependency_injector import providers
from litestar.testing import AsyncTestClient

from hrhelper.adapters.security.argon2_hasher import Argon2PasswordHasher
from hrhelper.container import Container, create_container
from hrhelper.domain.identity.model import Role, User
from hrhelper.entrypoints.http.app import create_app
from hrhelper.settings import Settings
from tests.support.answered import record_answers

PASSWORD = "Passw0rd-for-tests"
T = TypeVar("T")


@dataclass
class Api:
    client: AsyncTestClient  # type: ignore[type-arg]
    container: Container
    users: dict[str, User] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)

    async def in_app(self, fn: Callable[..., Awaitable[T]], *args: object) -> T:
        """Run a coroutine on the app's own event loop (the test client serves the app from
        a portal thread; database connections belong to that loop)."""
        return await asyncio.to_thread(self.client.blocking_portal.call, fn, *args)

    def auth(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"} if role in self.tokens else {}

    async def sign_in(self, email: str, password: str = PASSWORD) -> str:
        response = await self.client.post(
            "/api/auth/login/", json={"email": email, "password": password}
        )
        assert response.status_code == 200, response.text
        self.client.cookies.clear()  # these tests authenticate by Bearer only
        return str(response.json()["tokens"]["access"])


def _cheap_hasher(container: Container) -> providers.Provider[Argon2PasswordHasher]:
    """argon2id with the lowest costs: the same code path in a fraction of the time (the real
    parameters are the adapter's defaults, tested on their own). Every API test signs three
    users in, so this is most of a test's setup."""
    return providers.Singleton(
        Argon2PasswordHasher, container.blocking_pool, time_cost=1, memory_cost=1024
    )


async def create_api(settings: Settings, **overrides: object) -> AsyncIterator[Api]:
    """``overrides`` replace container providers by name before the app starts."""
    container = create_container(settings, **overrides)
    if "password_hasher" not in overrides:
        container.password_hasher.override(_cheap_hasher(container))
    app = record_answers(create_app(container), "api")
    async with AsyncTestClient(app, base_url="http://testserver.local") as client:
        api = Api(client, container)
        users = container.user_service()
        admin = await users.create_superuser("admin@example.com", PASSWORD, "Ada", "Admin")
        api.users["admin"] = admin
        for role in (Role.HR, Role.USER):
            view = await users.create(
                admin,
                {
                    "email": f"{role.value}@example.com",
                    "role": role.value,
                    "first_name": role.value.title(),
                    "last_name": "Тестов",
                },
                PASSWORD,
            )
            api.users[role.value] = view.user
        for role, user in api.users.items():
            api.tokens[role] = await api.sign_in(user.email)
        yield api


@pytest.fixture
def api_settings(make_settings: Callable[..., Settings], sqlite_url: str) -> Settings:
    return make_settings(DATABASE_URL=sqlite_url)


@pytest.fixture
async def api(api_settings: Settings) -> AsyncIterator[Api]:
    async for value in create_api(api_settings):
        yield value
