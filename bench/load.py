"""Closed-loop load on the hot endpoints: N concurrent clients for a fixed time each.

    python -m bench.load --base-url http://127.0.0.1:8000 --email ... --password ... \
        --duration 20 --concurrency 32

Prints requests/s, p50 and p99 latency and the error count per scenario.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
from collections.abc import Callable

import httpx

from bench.seed import WORDS, _login

Scenario = Callable[[random.Random], str]

SCENARIOS: dict[str, Scenario] = {
    "list": lambda rng: f"/api/vacancies/?page={rng.randint(1, 50)}",
    "list_filtered": lambda rng: (
        f"/api/vacancies/?is_active=true&page_size=50&page={rng.randint(1, 20)}"
    ),
    "search": lambda rng: f"/api/vacancies/?search={rng.choice(WORDS)}",
    "detail": lambda rng: f"/api/vacancies/{rng.randint(1, 1000)}/",
    "stats": lambda rng: "/api/vacancies/stats/",
    "health": lambda rng: "/api/health/",
}


async def run_scenario(
    client: httpx.AsyncClient, name: str, duration: float, concurrency: int
) -> dict[str, float]:
    path_for = SCENARIOS[name]
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + duration

    async def user(seed: int) -> None:
        nonlocal errors
        rng = random.Random(seed)
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                response = await client.get(path_for(rng))
            except httpx.TransportError:  # a dropped connection counts as an error, not a crash
                errors += 1
                continue
            latencies.append(time.perf_counter() - started)
            if response.status_code != 200:
                errors += 1

    started = time.perf_counter()
    await asyncio.gather(*(user(i) for i in range(concurrency)))
    elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50_ms": cuts[49] * 1000,
        "p99_ms": cuts[98] * 1000,
        "errors": errors,
    }


async def main_async(args: argparse.Namespace) -> None:
    limits = httpx.Limits(
        max_connections=args.concurrency, max_keepalive_connections=args.concurrency
    )
    async with httpx.AsyncClient(base_url=args.base_url, timeout=30, limits=limits) as client:
        token = await _login(client, args.email, args.password)
        client.headers["Authorization"] = f"Bearer {token}"
        header = ("scenario", "requests", "req/s", "p50 ms", "p99 ms", "errors")
        print(f"{header[0]:<15}" + "".join(f"{h:>10}" for h in header[1:]))
        for name in args.scenarios.split(","):
            result = await run_scenario(client, name, args.duration, args.concurrency)
            print(
                f"{name:<15}{result['requests']:>10.0f}{result['rps']:>10.1f}"
                f"{result['p50_ms']:>10.1f}{result['p99_ms']:>10.1f}{result['errors']:>10.0f}",
                flush=True,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--email", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--scenarios", default=",".join(SCENARIOS))
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
