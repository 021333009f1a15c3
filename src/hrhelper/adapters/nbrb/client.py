"""NBRB exchange rates over HTTP: ``GET {base}/rates/{ISO}?parammode=2``.

- Always by ISO alpha code (parammode=2): NBRB's internal ids change when a currency's
  attributes change (USD was 145, then 431).
- Rates are parsed as ``Decimal`` straight from the JSON text, never through float.
- Short in-call retries (tenacity) on transport errors, 429 and 5xx, honouring Retry-After;
  a wait hint longer than ``max_wait_s`` ends the call at once and leaves the retry to the job.
- 404 or an empty answer means no rate is published for the currency.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
from decimal import Decimal
from functools import partial
from typing import Any
from urllib.parse import quote as quote_path

import httpx
import structlog
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception_type,
    wait_exponential_jitter,
)

from hrhelper.domain.errors import InvalidInput, OutsideServiceUnavailable
from hrhelper.domain.finance.model import RateQuote
from hrhelper.ports.rates import RateSource

__all__ = ["NbrbRateSource"]

_log = structlog.get_logger(__name__)
_TIMEOUT = httpx.Timeout(10.0, connect=5.0)


class _Retryable(Exception):
    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


def _retry_after(response: httpx.Response) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date), if any."""
    value = response.headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


def _hint(state: RetryCallState) -> float | None:
    error = state.outcome.exception() if state.outcome else None
    return error.retry_after if isinstance(error, _Retryable) else None


class NbrbRateSource(RateSource):
    """Official rates against BYN from NBRB. ``base_url`` is e.g. https://api.nbrb.by/exrates."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        base_url: str,
        *,
        timeout: httpx.Timeout | float = _TIMEOUT,
        attempts: int = 3,
        backoff_s: float = 0.5,
        max_wait_s: float = 10.0,
    ) -> None:
        self._client = client
        self._base_url = base_url.rstrip("/")
        self._timeout = timeout
        self._attempts = attempts
        self._max_wait_s = max_wait_s
        self._backoff = wait_exponential_jitter(
            multiplier=backoff_s, max=max_wait_s, jitter=backoff_s
        )

    async def quote(self, currency: str) -> RateQuote:
        code = currency.strip().upper()
        try:
            response = await self._get(code)
        except _Retryable as error:
            raise OutsideServiceUnavailable(
                f"NBRB is unavailable ({error.reason}); no rate for {code} now."
            ) from error
        except httpx.HTTPError as error:
            raise OutsideServiceUnavailable(f"NBRB cannot be reached ({error}).") from error
        if response.status_code == 404:
            raise OutsideServiceUnavailable(f"NBRB has no rate published for {code}.")
        if response.status_code != 200:
            raise OutsideServiceUnavailable(f"NBRB answered {response.status_code} for {code}.")
        return _parse(code, response.content)

    async def _get(self, code: str) -> httpx.Response:
        url = f"{self._base_url}/rates/{quote_path(code, safe='')}"
        retrying = AsyncRetrying(
            stop=self._stop,
            wait=self._wait,
            retry=retry_if_exception_type(_Retryable),
            before_sleep=partial(_log_retry, code),
            reraise=True,
        )
        async for attempt in retrying:
            with attempt:
                try:
                    response = await self._client.get(
                        url, params={"parammode": "2"}, timeout=self._timeout
                    )
                except httpx.TransportError as error:  # connect errors and timeouts
                    raise _Retryable(type(error).__name__) from error
                if response.status_code == 429 or response.status_code >= 500:
                    raise _Retryable(f"HTTP {response.status_code}", _retry_after(response))
                return response
        raise AssertionError("unreachable: tenacity re-raises the last error")  # pragma: no cover

    def _wait(self, state: RetryCallState) -> float:
        hint = _hint(state)
        return hint if hint is not None else self._backoff(state)

    def _stop(self, state: RetryCallState) -> bool:
        hint = _hint(state)
        too_long = hint is not None and hint > self._max_wait_s
        return too_long or state.attempt_number >= self._attempts


def _log_retry(code: str, state: RetryCallState) -> None:
    error = state.outcome.exception() if state.outcome else None
    _log.warning(
        "nbrb_retry",
        currency=code,
        attempt=state.attempt_number,
        reason=getattr(error, "reason", str(error)),
        wait_s=round(state.upcoming_sleep, 2),
    )


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise TypeError(f"not a number: {value!r}")
    return Decimal(value)


def _parse(code: str, content: bytes) -> RateQuote:
    """One rate object of NBRB's shape: Cur_Abbreviation, Cur_Scale, Cur_OfficialRate, Date."""
    try:
        data = json.loads(content, parse_float=Decimal) if content.strip() else None
    except ValueError as error:
        raise OutsideServiceUnavailable(f"NBRB answered unreadable JSON for {code}.") from error
    if not data or (isinstance(data, dict) and data.get("Cur_OfficialRate") is None):
        raise OutsideServiceUnavailable(f"NBRB has no rate published for {code}.")
    try:
        quote = RateQuote(
            currency=str(data["Cur_Abbreviation"]),
            date=dt.datetime.fromisoformat(data["Date"]).date(),  # Minsk date, no offset
            official_rate=_decimal(data["Cur_OfficialRate"]),
            scale=int(data["Cur_Scale"]),
        )
    except (KeyError, TypeError, ValueError, InvalidInput) as error:
        raise OutsideServiceUnavailable(f"NBRB answered an unreadable rate for {code}.") from error
    if quote.currency != code:
        raise OutsideServiceUnavailable(f"NBRB answered {quote.currency} when asked for {code}.")
    return quote
