"""Opens users' Huntflow connections: their active system, its URL and its stored pair."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

import httpx

from hrhelper.adapters.huntflow.client import HuntflowClient
from hrhelper.adapters.huntflow.limiter import RequestLimiter
from hrhelper.adapters.huntflow.tokens import RefreshLocks, UserTokenStore
from hrhelper.domain.ats.credentials import HOW_TO_CONNECT
from hrhelper.domain.errors import InvalidInput, NotFound
from hrhelper.domain.identity.model import HuntflowSystem, User
from hrhelper.ports.ats import Ats, AtsConnector
from hrhelper.ports.clock import Clock
from hrhelper.ports.persistence import UnitOfWorkFactory
from hrhelper.ports.security import SecretBox

__all__ = ["HuntflowConnector", "api_base_url"]


def api_base_url(url: str) -> str:
    """The API root of a Huntflow URL: ``https://host`` and ``https://host/v2`` alike give
    ``https://host/v2``."""
    url = url.strip().rstrip("/")
    return url if urlsplit(url).path.endswith("/v2") else url + "/v2"


def _host(url: str) -> str:
    return (urlsplit(url.strip()).hostname or "").lower()


class HuntflowConnector(AtsConnector):
    """One ``HuntflowClient`` per call, sharing the pooled HTTP client, the limiter and the
    refresh locks. A user's own ``huntflow_prod_url`` / ``huntflow_sandbox_url`` wins over the
    default URL of that system, but only on an allowed host: the server sends the user's
    tokens there, so a free URL would let anyone point it at internal addresses."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        uow_factory: UnitOfWorkFactory,
        box: SecretBox,
        clock: Clock,
        limiter: RequestLimiter,
        locks: RefreshLocks,
        *,
        prod_url: str,
        sandbox_url: str,
        user_agent: str,
        allowed_hosts: Iterable[str] = (),
        client_options: Mapping[str, Any] | None = None,
    ) -> None:
        self._http = http
        self._uow_factory = uow_factory
        self._box = box
        self._clock = clock
        self._limiter = limiter
        self._locks = locks
        self._defaults = {HuntflowSystem.PROD: prod_url, HuntflowSystem.SANDBOX: sandbox_url}
        self._allowed_hosts = {_host(prod_url), _host(sandbox_url)} | {
            host.strip().lower() for host in allowed_hosts if host.strip()
        }
        self._user_agent = user_agent
        self._options = dict(client_options or {})

    async def for_user(self, user_id: int) -> Ats:
        user, systems = await self._load(user_id)
        system = user.huntflow_active_system
        if system not in systems:
            raise InvalidInput(
                f"Huntflow ({system.value}) is not connected. {HOW_TO_CONNECT}",
                {"huntflow_api_key": ["Not set for the active Huntflow system."]},
            )
        return self.client(user, system)

    async def refresh(self, user_id: int, system: HuntflowSystem) -> None:
        user, _ = await self._load(user_id)
        await self.client(user, system).refresh_tokens()

    def client(self, user: User, system: HuntflowSystem) -> HuntflowClient:
        own = user.huntflow_prod_url if system is HuntflowSystem.PROD else user.huntflow_sandbox_url
        if own and _host(own) not in self._allowed_hosts:
            field = f"huntflow_{system.value}_url"
            raise InvalidInput(
                f"{field} points to a host that is not an allowed Huntflow host; clear it or "
                "ask the administrator to add the host to HUNTFLOW_ALLOWED_HOSTS.",
                {field: [f"Allowed hosts: {', '.join(sorted(self._allowed_hosts))}."]},
            )
        store = UserTokenStore(
            self._uow_factory, self._box, self._clock, self._locks, user.pk, system
        )
        return HuntflowClient(
            self._http,
            api_base_url(own or self._defaults[system]),
            store,
            self._limiter,
            user_agent=self._user_agent,
            **self._options,
        )

    async def _load(self, user_id: int) -> tuple[User, set[HuntflowSystem]]:
        async with self._uow_factory() as uow:
            user = await uow.users.get(user_id)
            tokens = await uow.huntflow_tokens.of([user_id])
        if user is None:
            raise NotFound("User not found.")
        return user, set(tokens.get(user_id, {}))
