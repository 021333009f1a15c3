"""A user's Huntflow credentials: an active system and one sealed token pair per system.

The users endpoints carry them as ``huntflow_active_system`` (``prod`` | ``sandbox``),
``huntflow_api_key`` (the active system's access token) and ``huntflow_refresh_token`` (its
refresh token). Tokens are sealed before they are stored and answered only masked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from hrhelper.domain.errors import InvalidInput
from hrhelper.domain.identity.model import HuntflowSystem, User
from hrhelper.ports.ats import SealedTokens
from hrhelper.ports.clock import Clock
from hrhelper.ports.persistence import UnitOfWork
from hrhelper.ports.security import SecretBox

__all__ = [
    "ACCESS_LIFETIME",
    "HOW_TO_CONNECT",
    "HUNTFLOW_FIELDS",
    "REFRESH_LIFETIME",
    "HuntflowCredentials",
    "HuntflowStatus",
]

ACCESS_LIFETIME = timedelta(days=7)
"""How long Huntflow's access tokens live from issue."""
REFRESH_LIFETIME = timedelta(days=14)
HUNTFLOW_FIELDS = ("huntflow_api_key", "huntflow_refresh_token", "huntflow_active_system")
HOW_TO_CONNECT = (
    "Issue a token pair in Huntflow (Settings → API), then save it with PATCH /api/users/{id}/ "
    "as huntflow_api_key (the access token) and huntflow_refresh_token; "
    "huntflow_active_system chooses prod or sandbox."
)


@dataclass(frozen=True)
class HuntflowStatus:
    """What the users endpoints show about a user's Huntflow connection."""

    active_system: HuntflowSystem = HuntflowSystem.SANDBOX
    access_set: bool = False
    access_masked: str = ""
    refresh_set: bool = False
    access_expires_at: datetime | None = None


def _mask(secret: str) -> str:
    return "••••" + secret[-4:] if len(secret) >= 8 else "••••"


def _system(value: object) -> HuntflowSystem:
    try:
        return HuntflowSystem(str(value))
    except ValueError as error:
        raise InvalidInput.for_fields(
            {"huntflow_active_system": ["Choose prod or sandbox."]}
        ) from error


class HuntflowCredentials:
    """Applies the Huntflow fields of a user change inside the caller's unit of work."""

    def __init__(self, box: SecretBox, clock: Clock) -> None:
        self._box = box
        self._clock = clock

    async def apply(self, uow: UnitOfWork, user: User, values: Mapping[str, object]) -> None:
        """- ``huntflow_active_system`` switches first, so keys in the same change go to the
          new system;
        - ``huntflow_api_key`` replaces the access token (a pair issued now: 7 days), keeping
          the stored refresh token unless one is given; "" removes the system's pair;
        - ``huntflow_refresh_token`` replaces the refresh token (14 days); "" removes it; it
          needs an access token, stored or given with it."""
        if "huntflow_active_system" in values:
            user.huntflow_active_system = _system(values["huntflow_active_system"])
        system = user.huntflow_active_system
        access = values.get("huntflow_api_key")
        refresh = values.get("huntflow_refresh_token")
        if access is None and refresh is None:
            return
        current = await uow.huntflow_tokens.locked(user.pk, system)
        now = self._clock.now()
        access_text = str(access or "").strip()
        refresh_text = str(refresh or "").strip()
        if access is not None and not access_text:
            if refresh_text:
                raise InvalidInput.for_fields(
                    {"huntflow_refresh_token": ["A refresh token needs an access token."]}
                )
            await uow.huntflow_tokens.remove(user.pk, system)
            return
        if access_text:
            current = SealedTokens(
                access_token=self._box.seal(access_text),
                access_tail=_mask(access_text),
                refresh_token=current.refresh_token if current else None,
                access_expires_at=now + ACCESS_LIFETIME,
                refresh_expires_at=current.refresh_expires_at if current else None,
            )
        if current is None:
            raise InvalidInput.for_fields(
                {"huntflow_refresh_token": ["Set huntflow_api_key first, or with it."]}
            )
        if refresh is not None:
            current = replace(
                current,
                refresh_token=self._box.seal(refresh_text) if refresh_text else None,
                refresh_expires_at=now + REFRESH_LIFETIME if refresh_text else None,
            )
        await uow.huntflow_tokens.put(user.pk, system, replace(current, updated_at=now))

    @staticmethod
    def status(user: User, stored: Mapping[HuntflowSystem, SealedTokens]) -> HuntflowStatus:
        tokens = stored.get(user.huntflow_active_system)
        if tokens is None:
            return HuntflowStatus(user.huntflow_active_system)
        return HuntflowStatus(
            active_system=user.huntflow_active_system,
            access_set=True,
            access_masked=tokens.access_tail,
            refresh_set=tokens.refresh_token is not None,
            access_expires_at=tokens.access_expires_at,
        )
