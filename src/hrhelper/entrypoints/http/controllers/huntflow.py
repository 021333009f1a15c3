"""Huntflow through the caller's own connection (HR and admins)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from hrhelper.domain.ats.service import HuntflowService
from hrhelper.entrypoints.http.auth import current_user, staff_only
from hrhelper.entrypoints.http.openapi_errors import errors
from hrhelper.entrypoints.http.schemas.huntflow import AccountsOut, ConnectionOut, VacanciesOut

__all__ = ["HuntflowController"]

Huntflow = NamedDependency[HuntflowService]


class HuntflowController(Controller):
    path = "/api/huntflow"
    tags = ["Huntflow"]  # noqa: RUF012 - Litestar reads class attributes
    guards = [staff_only]  # noqa: RUF012 - Litestar reads class attributes

    @post(
        "/test-connection/",
        status_code=200,
        operation_id="huntflow_test_connection",
        responses=errors(400, 502),
    )
    async def test_connection(
        self, request: Request[Any, Any, Any], huntflow: Huntflow
    ) -> ConnectionOut:
        """Check the stored Huntflow token of the active system (prod or sandbox) and list
        the organisations it reaches. Without a token: 400 saying how to set one."""
        return ConnectionOut.of(await huntflow.test_connection(current_user(request)))

    @get("/accounts/", operation_id="huntflow_accounts", responses=errors(400, 502))
    async def accounts(self, request: Request[Any, Any, Any], huntflow: Huntflow) -> AccountsOut:
        """The Huntflow organisations the caller's token reaches."""
        return AccountsOut.of(await huntflow.accounts(current_user(request)))

    @get(
        "/accounts/{account_id:int}/vacancies/",
        operation_id="huntflow_account_vacancies",
        responses=errors(400, 502),
    )
    async def vacancies(
        self, request: Request[Any, Any, Any], account_id: FromPath[int], huntflow: Huntflow
    ) -> VacanciesOut:
        """Every vacancy of one Huntflow organisation (all pages)."""
        return VacanciesOut.of(await huntflow.vacancies(current_user(request), account_id))
