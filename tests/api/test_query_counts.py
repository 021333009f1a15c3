"""List and stats requests make a constant number of SQL statements, whatever the page size.

With 60 rows of each kind seeded, every list is asked for with ``page_size=1`` and ``50``; the
statements the app's engine executes are counted by a SQLAlchemy event listener. An N+1 shows
as a difference of 49 (or more) between the two.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, insert
from sqlalchemy.ext.asyncio import AsyncEngine

from hrhelper.adapters.persistence.sqlalchemy.tables import (
    bulk_imports,
    grades,
    interviewers,
    notion_pages,
    users,
    vacancies,
    vacancy_grades,
)
from hrhelper.adapters.security.argon2_hasher import Argon2PasswordHasher
from hrhelper.adapters.security.blocking import BlockingPool
from hrhelper.settings import Settings
from tests.api.conftest import Api, create_api

pytestmark = pytest.mark.postgres

ROWS = 60
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@pytest.fixture
async def api(
    make_settings: Callable[..., Settings], postgres_url: str, postgres_engine: AsyncEngine
) -> AsyncIterator[Api]:
    pool = BlockingPool("argon2", workers=2, queue_timeout_s=10.0)
    hasher = Argon2PasswordHasher(pool, time_cost=1, memory_cost=1024)
    try:
        async for value in create_api(
            make_settings(DATABASE_URL=postgres_url), password_hasher=hasher
        ):
            await seed(postgres_engine, value.users["hr"].id)
            yield value
    finally:
        pool.shutdown()


async def seed(engine: AsyncEngine, recruiter: int) -> None:
    """ROWS users (interviewers), grades and vacancies, each vacancy with three grades, and
    ROWS bulk imports of the recruiter."""
    stamp = {"created_at": NOW, "updated_at": NOW}
    async with engine.begin() as db:
        user_ids = (
            await db.execute(
                insert(users).returning(users.c.id),
                [
                    {
                        "email": f"person{i}@example.com",
                        "username": f"person{i}@example.com",
                        "first_name": f"Имя{i}",
                        "last_name": "Фамилия",
                        "role": "user",
                        "auth_type": "local",
                        **stamp,
                    }
                    for i in range(ROWS)
                ],
            )
        ).scalars()
        await db.execute(
            insert(interviewers),
            [{"user_id": u, "specialization": "Python", **stamp} for u in user_ids],
        )
        grade_ids = list(
            (
                await db.execute(
                    insert(grades).returning(grades.c.id),
                    [
                        {"name": f"G{i}", "name_key": f"g{i}", "position": 100 + i, **stamp}
                        for i in range(ROWS)
                    ],
                )
            ).scalars()
        )
        vacancy_ids = (
            await db.execute(
                insert(vacancies).returning(vacancies.c.id),
                [
                    {
                        "name": f"Vacancy {i}",
                        "recruiter_id": recruiter,
                        "created_at": NOW + timedelta(minutes=i),
                        "updated_at": NOW,
                    }
                    for i in range(ROWS)
                ],
            )
        ).scalars()
        await db.execute(
            insert(bulk_imports),
            [
                _bulk_import(recruiter, source)
                for source in ("clickup", "notion")
                for _ in range(ROWS)
            ],
        )
        await db.execute(
            insert(notion_pages),
            [
                {
                    "user_id": recruiter,
                    "page_id": f"page-{i}",
                    "title": f"Candidate {i}",
                    "search_title": f"candidate {i}",
                    "content": "Python developer",
                    "properties": {"Skills": ["Python"], "Stage": "Screening"},
                    "files": [{"property": "CV", "name": "cv.pdf", "url": None}],
                    "url": f"https://www.notion.so/page-{i}",
                    "created_time": NOW,
                    "last_edited_time": NOW + timedelta(minutes=i),
                    "fingerprint": "f" * 64,
                    "synced_at": NOW,
                }
                for i in range(ROWS)
            ],
        )
        await db.execute(
            insert(vacancy_grades),
            [
                {"vacancy_id": v, "grade_id": grade_ids[(i + k) % ROWS]}
                for i, v in enumerate(vacancy_ids)
                for k in range(3)
            ],
        )


def _bulk_import(user_id: int, source: str) -> dict[str, object]:
    counters = {"total": 3, "succeeded": 1, "skipped": 1, "failed": 1, "runs": 1}
    return {
        "user_id": user_id,
        "source": source,
        "status": "completed",
        "account_id": 1,
        "vacancy_id": 101,
        "delay_s": 8.0,
        "max_items": 100,
        "sync_settings": True,
        "listed": True,
        "stop_requested": False,
        "created_at": NOW,
        **counters,
    }


@contextmanager
def counting(engine: AsyncEngine) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


async def statements_for(api: Api, url: str, role: str, **params: object) -> list[str]:
    with counting(api.container.engine()) as statements:
        response = await api.client.get(url, params=params, headers=api.auth(role))
    assert response.status_code == 200, response.text
    body = response.json()
    if "results" in body and "page_size" in params:
        assert len(body["results"]) == min(int(str(params["page_size"])), body["count"])
    return statements


LISTS = [
    ("/api/vacancies/", "hr", {}),
    ("/api/vacancies/", "user", {"search": "vacancy"}),
    ("/api/v1/finance/grades/", "user", {}),
    ("/api/interviewers/", "hr", {"search": "python"}),
    ("/api/users/", "admin", {}),
    ("/api/v1/clickup-int/bulk-import/", "hr", {}),
    ("/api/v1/notion-int/bulk-import/", "hr", {}),
    ("/api/v1/notion-int/pages/", "hr", {"search": "candidate"}),
]


@pytest.mark.parametrize(("url", "role", "params"), LISTS, ids=[f"{u} {r}" for u, r, _ in LISTS])
async def test_a_list_makes_as_many_statements_for_one_row_as_for_fifty(
    api: Api, url: str, role: str, params: dict[str, object]
) -> None:
    one = await statements_for(api, url, role, page_size=1, **params)
    fifty = await statements_for(api, url, role, page_size=50, **params)
    assert len(one) == len(fifty), "\n---\n".join(fifty)
    assert len(fifty) <= 5, "\n---\n".join(fifty)  # auth, count, page, and one per relation


async def test_stats_make_a_constant_small_number_of_statements(api: Api) -> None:
    statements = await statements_for(api, "/api/vacancies/stats/", "admin")
    assert len(statements) <= 7, "\n---\n".join(statements)


async def stats(api: Api) -> tuple[dict[str, object], list[str]]:
    with counting(api.container.engine()) as statements:
        response = await api.client.get("/api/vacancies/stats/", headers=api.auth("admin"))
    assert response.status_code == 200, response.text
    return response.json(), [s for s in statements if "GROUP BY" in s.upper()]


async def test_stats_count_the_vacancies_again_only_after_a_write(api: Api) -> None:
    # Given stats just answered (counting in the database)
    first, aggregates = await stats(api)
    assert aggregates
    # When they are asked again, nothing having changed, no aggregate reaches the database
    again, aggregates = await stats(api)
    assert (again, aggregates) == (first, [])
    # But after a vacancy is written, the next stats count again and include it
    created = await api.client.post(
        "/api/vacancies/", json={"name": "Новая"}, headers=api.auth("admin")
    )
    assert created.status_code == 201, created.text
    after, aggregates = await stats(api)
    assert aggregates
    assert after["total_vacancies"] == int(str(first["total_vacancies"])) + 1
