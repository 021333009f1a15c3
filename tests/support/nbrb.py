"""A loopback stand-in for the NBRB exchange-rate API (https://api.nbrb.by/exrates).

Serves ``/rates/{cur}`` in NBRB's JSON shape, with ``parammode`` 0 (internal id), 1 (ISO
numeric) and 2 (ISO alpha), ``ondate`` and 404 beyond the seeded days. Knobs: ``fail_next``
(status and Retry-After for the next N calls) and ``delay_s``; ``journal`` records requests.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

__all__ = ["Currency", "FakeNbrb", "Request", "fake_nbrb"]

TODAY = date(2026, 11, 20)


@dataclass(frozen=True)
class Currency:
    cur_id: int
    numeric: str
    name: str
    scale: int


CATALOGUE = {
    "USD": Currency(431, "840", "Доллар США", 1),
    "EUR": Currency(451, "978", "Евро", 1),
    "PLN": Currency(452, "985", "Польских злотых", 10),
    "RUB": Currency(456, "643", "Российских рублей", 100),
}


@dataclass(frozen=True)
class Request:
    path: str
    query: dict[str, str]
    headers: dict[str, str]


@dataclass
class FakeNbrb:
    today: date = TODAY
    rates: dict[tuple[str, date], Decimal] = field(default_factory=dict)
    """Cur_OfficialRate by (ISO alpha, date); a currency without a row today answers 404."""
    failures: list[tuple[int, str | None]] = field(default_factory=list)
    delay_s: float = 0.0
    journal: list[Request] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fail_next(self, count: int, status: int = 503, retry_after: str | None = None) -> None:
        self.failures.extend([(status, retry_after)] * count)

    def seed(self, currency: str, rate: str, on: date | None = None) -> None:
        self.rates[(currency, on or self.today)] = Decimal(rate)

    def calls(self, path: str) -> list[Request]:
        return [r for r in self.journal if r.path == path]

    def answer(self, path: str, query: dict[str, str]) -> tuple[int, dict[str, str], Any]:
        """Status, headers and JSON body for one GET, as NBRB would give them."""
        with self.lock:
            failure = self.failures.pop(0) if self.failures else None
        if failure is not None:
            status, retry_after = failure
            headers = {"Retry-After": retry_after} if retry_after else {}
            return status, headers, {"Message": "An error has occurred."}
        prefix = "/exrates/rates/"
        if not path.startswith(prefix):
            return 404, {}, {"Message": "No HTTP resource was found."}
        code = self._resolve(path.removeprefix(prefix), query.get("parammode", "0"))
        on = date.fromisoformat(query["ondate"][:10]) if "ondate" in query else self.today
        if code is None or (code, on) not in self.rates:
            return 404, {}, {"Message": "Not found"}
        currency = CATALOGUE[code]
        return (
            200,
            {},
            {
                "Cur_ID": currency.cur_id,
                "Date": f"{on.isoformat()}T00:00:00",
                "Cur_Abbreviation": code,
                "Cur_Scale": currency.scale,
                "Cur_Name": currency.name,
                "Cur_OfficialRate": self.rates[(code, on)],
            },
        )

    @staticmethod
    def _resolve(key: str, parammode: str) -> str | None:
        for code, currency in CATALOGUE.items():
            if key == {"0": str(currency.cur_id), "1": currency.numeric, "2": code}.get(parammode):
                return code
        return None


class _DecimalNumbers(json.JSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, Decimal):
            return float(o)  # 4 decimals at most: the float repr is the same digits
        return super().default(o)


@contextmanager
def fake_nbrb() -> Iterator[tuple[FakeNbrb, str]]:
    """Yield the fake and its base URL (the ``/exrates`` root, like CURRENCY_RATES_URL)."""
    fake = FakeNbrb()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            url = urlsplit(self.path)
            query = {k: v[-1] for k, v in parse_qs(url.query).items()}
            fake.journal.append(Request(url.path, query, dict(self.headers.items())))
            if fake.delay_s:
                time.sleep(fake.delay_s)
            status, headers, payload = fake.answer(url.path, query)
            body = json.dumps(payload, cls=_DecimalNumbers, ensure_ascii=False).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client timed out and hung up, as a real one would

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    # a short poll interval: shutdown() waits up to one interval
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield fake, f"http://127.0.0.1:{server.server_address[1]}/exrates"
    finally:
        server.shutdown()
        server.server_close()
