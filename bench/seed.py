"""Seed N vacancies, with recruiters and grades.

Through the public API (as an admin), N concurrent clients:

    python -m bench.seed --base-url http://127.0.0.1:8000 --count 100000 \
        --email admin@example.com --password 'Bench-passw0rd' --concurrency 32

Straight into the database (the same rows, in batches; for 100,000 and more, where one API
call per vacancy takes too long):

    python -m bench.seed --database-url postgresql://postgres@127.0.0.1:5432/hrhelper_bench \
        --count 100000
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import insert, select

from hrhelper.adapters.persistence.sqlalchemy import create_engine
from hrhelper.adapters.persistence.sqlalchemy.tables import grades, users, vacancies, vacancy_grades

BATCH = 5_000

WORDS = [
    "Python",
    "Go",
    "Java",
    "Frontend",
    "Backend",
    "Data",
    "QA",
    "DevOps",
    "Mobile",
    "iOS",
    "Разработчик",
    "Аналитик",
    "Тестировщик",
    "Дизайнер",
    "Инженер",
    "Архитектор",
    "питон",
    "данных",
    "Senior",
    "Lead",
    "платформы",
    "платежей",
    "поиска",
    "рекламы",
]


async def _login(client: httpx.AsyncClient, email: str, password: str) -> str:
    response = await client.post("/api/auth/login/", json={"email": email, "password": password})
    response.raise_for_status()
    client.cookies.clear()  # Bearer only: no CSRF dance
    return str(response.json()["tokens"]["access"])


async def _recruiters(client: httpx.AsyncClient, count: int) -> list[int]:
    ids = []
    for index in range(count):
        response = await client.post(
            "/api/users/",
            json={
                "email": f"recruiter{index}.{int(time.time())}@bench.local",
                "role": "hr",
                "first_name": f"Рекрутер{index}",
                "last_name": "Бенчев",
                "password": "Bench-passw0rd",
            },
        )
        response.raise_for_status()
        ids.append(int(response.json()["id"]))
    return ids


def _vacancy(number: int, recruiters: list[int], grades: list[int]) -> dict[str, object]:
    rng = random.Random(number)
    title = " ".join(rng.sample(WORDS, 3))
    return {
        "name": f"{title} #{number}",
        "external_id": f"HF-{number}",
        "recruiter": rng.choice(recruiters),
        "invite_title": f"Приглашение: {title}",
        "invite_text": "Приглашаем вас на собеседование",
        "scorecard_title": f"Оценка: {rng.choice(WORDS)}",
        "scorecard_text": "Критерии оценки",
        "available_grades": rng.sample(grades, rng.randint(1, 3)),
        "is_active": rng.random() < 0.8,
    }


async def seed(base_url: str, count: int, email: str, password: str, concurrency: int) -> None:
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as client:
        token = await _login(client, email, password)
        client.headers["Authorization"] = f"Bearer {token}"
        grades = [g["id"] for g in (await client.get("/api/v1/finance/grades/")).json()["results"]]
        recruiters = await _recruiters(client, 10)
        queue: asyncio.Queue[int] = asyncio.Queue()
        for number in range(count):
            queue.put_nowait(number)
        started, done = time.perf_counter(), 0

        async def worker() -> None:
            nonlocal done
            while not queue.empty():
                number = queue.get_nowait()
                response = await client.post(
                    "/api/vacancies/", json=_vacancy(number, recruiters, grades)
                )
                if response.status_code != 201:
                    raise RuntimeError(f"{response.status_code}: {response.text}")
                done += 1
                if done % 5000 == 0:
                    rate = done / (time.perf_counter() - started)
                    print(f"seeded {done}/{count} ({rate:.0f}/s)", flush=True)

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        print(f"seeded {count} vacancies in {time.perf_counter() - started:.1f}s")


async def seed_database(database_url: str, count: int) -> None:
    """The rows ``seed`` would create through the API, inserted in batches of BATCH."""
    engine = create_engine(database_url, pool_size=1)
    started = time.perf_counter()
    now = datetime.now(UTC)
    try:
        async with engine.begin() as db:
            grade_ids = list((await db.execute(select(grades.c.id))).scalars())
            stamp = int(time.time())
            recruiters = list(
                (
                    await db.execute(
                        insert(users).returning(users.c.id),
                        [
                            {
                                "email": f"recruiter{i}.{stamp}@bench.local",
                                "username": f"recruiter{i}.{stamp}@bench.local",
                                "first_name": f"Рекрутер{i}",
                                "last_name": "Бенчев",
                                "role": "hr",
                                "auth_type": "local",
                                "created_at": now,
                                "updated_at": now,
                            }
                            for i in range(10)
                        ],
                    )
                ).scalars()
            )
        for first in range(0, count, BATCH):
            numbers = range(first, min(count, first + BATCH))
            rows = [_vacancy(n, recruiters, grade_ids) for n in numbers]
            created = [now - timedelta(seconds=count - n) for n in numbers]
            async with engine.begin() as db:
                # RETURNING in the order of the rows given, to link each to its grades
                statement = insert(vacancies).returning(
                    vacancies.c.id, sort_by_parameter_order=True
                )
                result = await db.execute(
                    statement, [_row(r, at) for r, at in zip(rows, created, strict=True)]
                )
                links = [
                    {"vacancy_id": vacancy_id, "grade_id": grade_id}
                    for vacancy_id, row in zip(result.scalars(), rows, strict=True)
                    for grade_id in row["available_grades"]  # type: ignore[attr-defined]
                ]
                await db.execute(insert(vacancy_grades), links)
            done = first + len(numbers)
            rate = done / (time.perf_counter() - started)
            print(f"seeded {done}/{count} ({rate:.0f}/s)", flush=True)
    finally:
        await engine.dispose()
    print(f"seeded {count} vacancies in {time.perf_counter() - started:.1f}s")


def _row(vacancy: dict[str, object], created_at: datetime) -> dict[str, object]:
    row = {k: v for k, v in vacancy.items() if k not in ("recruiter", "available_grades")}
    return {**row, "recruiter_id": vacancy["recruiter"], "created_at": created_at,
            "updated_at": created_at}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--database-url", help="insert straight into this database instead")
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--email")
    parser.add_argument("--password")
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    if args.database_url:
        asyncio.run(seed_database(args.database_url, args.count))
        return
    if not (args.email and args.password):
        parser.error("--email and --password are needed to seed through the API")
    asyncio.run(seed(args.base_url, args.count, args.email, args.password, args.concurrency))


if __name__ == "__main__":
    main()
