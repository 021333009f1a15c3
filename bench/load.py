"""Closed-loop load on the hot endpoints: N concurrent clients for a fixed time each.

    python -m bench.load --base-url http://127.0.0.1:8000 --email ... --password ... \
        --duration 20 --concurrency 32

Prints requests/s, p50 and p99 latency and the error count per scenario.

``detail+logins`` runs the detail scenario while ``--login-clients`` more clients sign in back
to back (argon2 on every request): the detail row shows what logins cost other requests, the
``(logins)`` row the logins themselves. The server's login limits must allow that many
attempts (bench/run.sh raises LOGIN_LIMIT_PER_IP and LOGIN_LIMIT_PER_ACCOUNT).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
from collections.abc import Awaitable, Callable

import httpx

from bench.seed import WORDS
from bench.seed import _login as sign_in

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


Send = Callable[[httpx.AsyncClient, random.Random], Awaitable[httpx.Response]]


def _get(path_for: Scenario) -> Send:
    return lambda client, rng: client.get(path_for(rng))


def _login(email: str, password: str) -> Send:
    body = {"email": email, "password": password}
    return lambda client, rng: client.post("/api/auth/login/", json=body)


class _Tally:
    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.errors = 0


async def _clients(
    client: httpx.AsyncClient, send: Send, count: int, deadline: float, seed: int = 0
) -> _Tally:
    tally = _Tally()

    async def user(index: int) -> None:
        rng = random.Random(seed + index)
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                response = await send(client, rng)
            except httpx.TransportError:  # a dropped connection counts as an error, not a crash
                tally.errors += 1
                continue
            tally.latencies.append(time.perf_counter() - started)
            if response.status_code != 200:
                tally.errors += 1
            client.cookies.clear()  # a login sets session cookies; stay Bearer-only

    await asyncio.gather(*(user(i) for i in range(count)))
    return tally


async def run_scenario(
    client: httpx.AsyncClient,
    name: str,
    duration: float,
    concurrency: int,
    logins: tuple[Send, int] | None = None,
) -> list[tuple[str, dict[str, float]]]:
    """Rows of results: the scenario, then, with ``logins``, the logins run beside it."""
    started = time.perf_counter()
    deadline = started + duration
    runs = [_clients(client, _get(SCENARIOS[name.removesuffix("+logins")]), concurrency, deadline)]
    if logins is not None:
        send, count = logins
        runs.append(_clients(client, send, count, deadline, seed=1000))
    tallies = await asyncio.gather(*runs)
    elapsed = time.perf_counter() - started
    rows = [(name, _summary(tallies[0], elapsed))]
    if len(tallies) > 1:
        rows.append(("  (logins)", _summary(tallies[1], elapsed)))
    return rows


def _summary(tally: _Tally, elapsed: float) -> dict[str, float]:
    latencies = tally.latencies
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50_ms": cuts[49] * 1000,
        "p99_ms": cuts[98] * 1000,
        "errors": tally.errors,
    }


async def main_async(args: argparse.Namespace) -> None:
    connections = args.concurrency + args.login_clients
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(base_url=args.base_url, timeout=30, limits=limits) as client:
        token = await sign_in(client, args.email, args.password)
        client.headers["Authorization"] = f"Bearer {token}"
        header = ("scenario", "requests", "req/s", "p50 ms", "p99 ms", "errors")
        print(f"{header[0]:<15}" + "".join(f"{h:>10}" for h in header[1:]))
        logins = (_login(args.email, args.password), args.login_clients)
        for name in args.scenarios.split(","):
            rows = await run_scenario(
                client,
                name,
                args.duration,
                args.concurrency,
                logins if name.endswith("+logins") else None,
            )
            for label, result in rows:
                print(
                    f"{label:<15}{result['requests']:>10.0f}{result['rps']:>10.1f}"
                    f"{result['p50_ms']:>10.1f}{result['p99_ms']:>10.1f}"
                    f"{result['errors']:>10.0f}",
                    flush=True,
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--email", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--scenarios", default=",".join([*SCENARIOS, "detail+logins"]))
    parser.add_argument("--login-clients", type=int, default=4)
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
