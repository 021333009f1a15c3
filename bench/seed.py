"""Seed N vacancies through the public API (as an admin), with recruiters and grades.

    python -m bench.seed --base-url http://127.0.0.1:8000 --count 100000 \
        --email admin@example.com --password 'Bench-passw0rd'
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time

import httpx

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--email", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    asyncio.run(seed(args.base_url, args.count, args.email, args.password, args.concurrency))


if __name__ == "__main__":
    main()
