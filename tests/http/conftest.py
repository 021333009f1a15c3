"""An app on a migrated SQLite file with a fast password hasher, a few routes of the tests'
own (a handler that fails, a paginated list) and one signed-in user per role."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import pytest
from litestar import Request, get
from litestar.di import NamedDependency
from litestar.params import Parameter
from litestar.testing import AsyncTestClient

from hrhelper.adapters.persistence.sqlalchemy.migrate import upgrade
from hrhelper.container import Container, create_container
from hrhelper.domain.identity.model import Role
from hrhelper.entrypoints.http.app import create_app
from hrhelper.entrypoints.http.pagination import Page, PageParams
from hrhelper.settings import Settings
from tests.support.answered import record_answers
from tests.support.identity_fakes import PASSWORD, Sha256PasswordHasher

PUBLIC = {"public": True}
SECRET_DETAIL = "connection to 10.0.0.7 refused by /srv/app/internal.py"


class BoomError(RuntimeError):
    """An unexpected failure inside a handler."""


@get("/test/boom/", opt=PUBLIC, sync_to_thread=False)
def boom() -> None:
    raise BoomError(SECRET_DETAIL)


@get("/test/items/", opt=PUBLIC)
async def items(
    request: Request[Any, Any, Any],
    pages: NamedDependency[PageParams],
    total: Annotated[int, Parameter(ge=0, le=1000)] = 0,
) -> Page[int]:
    """``total`` numbered items, one page of them."""
    numbers = range(1, total + 1)[pages.offset : pages.offset + pages.limit]
    return Page.build(request, pages, total, list(numbers))


@dataclass
class Http:
    client: AsyncTestClient  # type: ignore[type-arg]
    container: Container
    tokens: dict[str, str] = field(default_factory=dict)
    user_ids: dict[str, int] = field(default_factory=dict)

    def auth(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}


async def open_http(settings: Settings, with_users: bool = True) -> AsyncIterator[Http]:
    container = create_container(settings, password_hasher=Sha256PasswordHasher())
    app = record_answers(create_app(container, extra_route_handlers=[boom, items]))
    async with AsyncTestClient(app, base_url="http://testserver.local") as client:
        http = Http(client, container)
        if with_users:
            users = container.user_service()
            admin = await users.create_superuser("admin@example.com", PASSWORD)
            http.user_ids["admin"] = admin.pk
            for role in (Role.HR, Role.USER):
                values = {"email": f"{role.value}@example.com", "role": role.value}
                http.user_ids[role.value] = (await users.create(admin, values, PASSWORD)).user.pk
            for role in ("admin", "hr", "user"):
                response = await client.post(
                    "/api/auth/login/",
                    json={"email": f"{role}@example.com", "password": PASSWORD},
                )
                assert response.status_code == 200, response.text
                http.tokens[role] = response.json()["tokens"]["access"]
                client.cookies.clear()  # these tests authenticate by Bearer only
        yield http


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file for the session; each test works on its own copy."""
    path = tmp_path_factory.mktemp("template") / "migrated.sqlite3"
    upgrade(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture
def http_database(migrated_template: Path, tmp_path: Path) -> str:
    path = tmp_path / "http.sqlite3"
    shutil.copyfile(migrated_template, path)
    return f"sqlite+aiosqlite:///{path}"


@pytest.fixture
def http_settings(make_settings: Callable[..., Settings], http_database: str) -> Settings:
    return make_settings(DATABASE_URL=http_database, MAX_REQUEST_BODY_BYTES="4096")


@pytest.fixture
async def http(http_settings: Settings) -> AsyncIterator[Http]:
    async for value in open_http(http_settings):
        yield value
