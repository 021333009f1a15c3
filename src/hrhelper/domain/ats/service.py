"""What the Huntflow endpoints do with the caller's own connection."""

from __future__ import annotations

from dataclasses import dataclass

from hrhelper.domain.identity.model import User
from hrhelper.ports.ats import AtsAccount, AtsConnector, AtsUser, AtsVacancy

__all__ = ["ConnectionCheck", "HuntflowService"]


@dataclass(frozen=True)
class ConnectionCheck:
    user: AtsUser
    accounts: list[AtsAccount]


class HuntflowService:
    """Each call uses the caller's active Huntflow system and stored token pair.

    - No pair stored: InvalidInput saying how to set one.
    - Huntflow's refusals arrive as the domain errors of the ``Ats`` port: a wrong or spent
      key and no access are OutsideServiceError, a missing organisation NotFound, Huntflow
      down OutsideServiceUnavailable.
    """

    def __init__(self, connector: AtsConnector) -> None:
        self._connector = connector

    async def test_connection(self, actor: User) -> ConnectionCheck:
        """Who the token belongs to, and the organisations it reaches."""
        ats = await self._connector.for_user(actor.pk)
        me = await ats.me()
        return ConnectionCheck(me, await ats.accounts())

    async def accounts(self, actor: User) -> list[AtsAccount]:
        return await (await self._connector.for_user(actor.pk)).accounts()

    async def vacancies(self, actor: User, account_id: int) -> list[AtsVacancy]:
        """Every vacancy of the organisation, all pages read."""
        return await (await self._connector.for_user(actor.pk)).all_vacancies(account_id)
