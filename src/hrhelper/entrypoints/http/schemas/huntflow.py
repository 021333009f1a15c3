"""Response bodies of the Huntflow endpoints, in the spec's shapes."""

from __future__ import annotations

from datetime import datetime

import msgspec

from hrhelper.domain.ats.service import ConnectionCheck
from hrhelper.ports.ats import AtsAccount, AtsVacancy

__all__ = ["AccountsOut", "ConnectionOut", "VacanciesOut"]


class AccountBriefOut(msgspec.Struct):
    id: int
    name: str


class ConnectionOut(msgspec.Struct):
    success: bool
    message: str
    accounts: list[AccountBriefOut]

    @classmethod
    def of(cls, check: ConnectionCheck) -> ConnectionOut:
        return cls(
            success=True,
            message="Подключение успешно",
            accounts=[AccountBriefOut(id=a.id, name=a.name) for a in check.accounts],
        )


class AccountOut(msgspec.Struct):
    id: int
    name: str
    type: str
    """Always ``company``: a Huntflow organisation."""


class AccountsOut(msgspec.Struct):
    items: list[AccountOut]

    @classmethod
    def of(cls, accounts: list[AtsAccount]) -> AccountsOut:
        return cls(items=[AccountOut(id=a.id, name=a.name, type="company") for a in accounts])


class VacancyOut(msgspec.Struct):
    id: int
    position: str
    state: str
    company: str | None
    money: str | None
    created: datetime | None


class VacanciesOut(msgspec.Struct):
    items: list[VacancyOut]

    @classmethod
    def of(cls, vacancies: list[AtsVacancy]) -> VacanciesOut:
        return cls(
            items=[
                VacancyOut(
                    id=v.id,
                    position=v.position,
                    state=v.state,
                    company=v.company,
                    money=v.money,
                    created=v.created,
                )
                for v in vacancies
            ]
        )
