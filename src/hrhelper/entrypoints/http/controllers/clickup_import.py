"""ClickUp into Huntflow: one task's transfer, and bulk imports of the configured list (HR
managers and admins; everything is the caller's own, another user's import is not found)."""

from __future__ import annotations

from typing import Any

from litestar import Request, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from hrhelper.domain.recruiting.clickup_import import ClickUpCards
from hrhelper.entrypoints.http.controllers._bulk_import import BulkImportRoutes, Imports, me
from hrhelper.entrypoints.http.openapi_errors import errors
from hrhelper.entrypoints.http.schemas.bulk_import import BulkImportOut, TransferIn, TransferOut
from hrhelper.entrypoints.http.schemas.clickup import ClickUpBulkImportIn

__all__ = ["ClickUpImportController"]

AnyRequest = Request[Any, Any, Any]


class ClickUpImportController(BulkImportRoutes):
    path = "/api/v1/clickup-int"
    tags = ["ClickUp"]  # noqa: RUF012 - Litestar reads class attributes
    source = "clickup"

    @post(
        "/tasks/{task_id:str}/transfer-to-huntflow/",
        status_code=200,
        operation_id="clickup_task_transfer",
        responses=errors(409, 502),
    )
    async def transfer(
        self,
        request: AnyRequest,
        task_id: FromPath[str],
        data: JSONBody[TransferIn],
        clickup_cards: NamedDependency[ClickUpCards],
    ) -> TransferOut:
        """Transfer the task (read fresh, with its files and comments) to the vacancy, once;
        then tag it ``huntflow``. A task already transferred is a 409 naming the applicant."""
        result = await clickup_cards.transfer(
            me(request), task_id, data.account_id, data.vacancy_id
        )
        return TransferOut.of(task_id, result)

    @post(
        "/bulk-import/",
        status_code=202,
        operation_id="clickup_bulk_import_start",
        responses=errors(404),
    )
    async def start(
        self, request: AnyRequest, data: JSONBody[ClickUpBulkImportIn], bulk_imports: Imports
    ) -> BulkImportOut:
        """Queue an import of the configured list into the vacancy; follow its progress."""
        names = ("max_tasks", "delay_between_tasks")
        job = await bulk_imports.start(me(request), self.source, data.command(), names=names)
        return BulkImportOut.of(job)
