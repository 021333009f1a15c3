"""The OAuth ``state``: which user started connecting a Google account, signed and expiring.

``<user id>.<issued, unix seconds>.<nonce>.<HMAC-SHA256>``: the callback learns the user from
the state alone (a browser coming back from Google may carry no Bearer token), so it must be
unforgeable and short-lived.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

__all__ = ["ConnectStates"]


class ConnectStates:
    def __init__(self, secret: str, lifetime: timedelta = timedelta(minutes=10)) -> None:
        self._key = hashlib.sha256(("google-oauth-state:" + secret).encode()).digest()
        self._lifetime = lifetime

    def make(self, user_id: int, now: datetime) -> str:
        body = f"{user_id}.{int(now.timestamp())}.{secrets.token_urlsafe(12)}"
        return f"{body}.{self._sign(body)}"

    def check(self, state: str, now: datetime) -> int | None:
        """The user id of a valid, unexpired state; None for anything else."""
        body, _, signature = state.rpartition(".")
        if not body or not hmac.compare_digest(self._sign(body), signature):
            return None
        parts = body.split(".")
        if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
            return None
        user, issued = parts[0], parts[1]
        age = now.timestamp() - int(issued)
        return int(user) if 0 <= age <= self._lifetime.total_seconds() else None

    def _sign(self, body: str) -> str:
        digest = hmac.new(self._key, body.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest[:24]).decode().rstrip("=")
