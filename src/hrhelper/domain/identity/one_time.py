"""One-time links (email verification, HR invitation, password reset) without storage.

The token is an HMAC over the user's id, the purpose, a timestamp and the state that link
changes: the verification flag and the address for email verification, the password hash and
the address for setting or resetting a password. Using the link changes that state, so the same
token can never validate twice; the timestamp gives it an expiry. State the link does not change
(such as the time of the last sign-in) is left out, so an ordinary sign-in between the mail and
the click does not spoil the link.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime, timedelta
from enum import StrEnum

from hrhelper.domain.identity.model import User

__all__ = ["LinkPurpose", "OneTimeLinks"]

_B36 = "0123456789abcdefghijklmnopqrstuvwxyz"


class LinkPurpose(StrEnum):
    VERIFY_EMAIL = "verify-email"
    SET_PASSWORD = "set-password"  # noqa: S105 - a purpose name
    RESET_PASSWORD = "reset-password"  # noqa: S105 - a purpose name


def _to_b36(number: int) -> str:
    digits = ""
    while True:
        number, rest = divmod(number, 36)
        digits = _B36[rest] + digits
        if not number:
            return digits


def _from_b36(text: str) -> int:
    return int(text, 36)


def encode_uid(user_id: int) -> str:
    return base64.urlsafe_b64encode(str(user_id).encode()).decode().rstrip("=")


def decode_uid(uid: str) -> int | None:
    try:
        padded = uid + "=" * (-len(uid) % 4)
        return int(base64.urlsafe_b64decode(padded.encode()).decode())
    except (ValueError, UnicodeDecodeError):
        return None


class OneTimeLinks:
    def __init__(self, secret: str, lifetimes: dict[LinkPurpose, timedelta]) -> None:
        self._key = hashlib.sha256(("one-time-links:" + secret).encode()).digest()
        self._lifetimes = lifetimes

    def make(self, user: User, purpose: LinkPurpose, now: datetime) -> tuple[str, str]:
        """The ``(uid, token)`` pair to put in the link."""
        if user.id is None:
            raise ValueError("a link needs a saved user")
        stamp = _to_b36(int(now.timestamp()))
        return encode_uid(user.id), f"{stamp}-{self._sign(user, purpose, stamp)}"

    def check(self, user: User, purpose: LinkPurpose, token: str, now: datetime) -> bool:
        stamp, _, signature = token.partition("-")
        if not stamp or not signature or len(stamp) > 13:
            return False
        try:
            issued = _from_b36(stamp)
        except ValueError:
            return False
        expected = self._sign(user, purpose, stamp)
        if not hmac.compare_digest(expected, signature):
            return False
        age = now.timestamp() - issued
        return 0 <= age <= self._lifetimes[purpose].total_seconds()

    def _sign(self, user: User, purpose: LinkPurpose, stamp: str) -> str:
        state = "|".join([str(user.id), purpose.value, stamp, *_signed_state(user, purpose)])
        digest = hmac.new(self._key, state.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest[:20]).decode().rstrip("=")


def _signed_state(user: User, purpose: LinkPurpose) -> tuple[str, ...]:
    """What following a link of this purpose changes (so the link is spent once used)."""
    if purpose is LinkPurpose.VERIFY_EMAIL:
        return (str(user.is_verified), user.email)
    return (user.password_hash or "", user.email)
