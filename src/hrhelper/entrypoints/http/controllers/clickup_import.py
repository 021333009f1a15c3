"""ClickUp into Huntflow: one task's transfer, and bulk imports of the configured list (HR
managers and admins; everything is the caller's own, another user's import is not found)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from hrhelper.domain.recruiting.bulk_import import BulkImportService
from hrhelper.domain.recruiting.clickup_import import ClickUpCards
from hrhelper.entrypoints.http.auth import current_user, staff_only
from hrhelper.entrypoints.http.pagination import Page, PageParams
from hrhelper.entrypoints.http.schemas.bulk_import import (
    BulkImportDetailOut,
    BulkImportOut,
    ImportItemOut,
    ProgressOut,
    TransferIn,
    TransferOut,
)
from hrhelper.entrypoints.http.schemas.clickup import ClickUpBulkImportIn

__all__ = ["ClickUpImportController"]

Imports = NamedDependency[BulkImportService]
AnyRequest = Request[Any, Any, Any]
SOURCE = "clickup"
_NAMES = ("max_tasks", "delay_between_tasks")


def _me(request: AnyRequest) -> int:
    return current_user(request).pk


class ClickUpImportController(Controller):
    path = "/api/v1/clickup-int"
    tags = ["ClickUp"]  # noqa: RUF012 - Litestar reads class attributes
    guards = [staff_only]  # noqa: RUF012 - Litestar reads class attributes

    @post(
        "/tasks/{task_id:str}/transfer-to-huntflow/",
        status_code=200,
        operation_id="clickup_task_transfer",
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
        me = _me(request)
        result = await clickup_cards.transfer(me, task_id, data.account_id, data.vacancy_id)
        return TransferOut.of(task_id, result)

    @get("/bulk-import/", operation_id="clickup_bulk_import_list")
    async def imports(
        self, request: AnyRequest, bulk_imports: Imports, pages: NamedDependency[PageParams]
    ) -> Page[BulkImportOut]:
        """The caller's bulk imports, newest first."""
        count, jobs = await bulk_imports.imports(_me(request), SOURCE, pages.offset, pages.limit)
        return Page.build(request, pages, count, [BulkImportOut.of(job) for job in jobs])

    @post("/bulk-import/", status_code=202, operation_id="clickup_bulk_import_start")
    async def start(
        self, request: AnyRequest, data: JSONBody[ClickUpBulkImportIn], bulk_imports: Imports
    ) -> BulkImportOut:
        """Queue an import of the configured list into the vacancy; follow its progress."""
        job = await bulk_imports.start(_me(request), SOURCE, data.command(), names=_NAMES)
        return BulkImportOut.of(job)

    @get("/bulk-import/{import_id:int}/", operation_id="clickup_bulk_import_detail")
    async def detail(
        self, request: AnyRequest, import_id: FromPath[int], bulk_imports: Imports
    ) -> BulkImportDetailOut:
        """One import with the outcome of each of its tasks."""
        me = _me(request)
        job = await bulk_imports.get(me, SOURCE, import_id)
        items = await bulk_imports.items(me, SOURCE, import_id)
        base = BulkImportOut.of(job)
        fields = {name: getattr(base, name) for name in base.__struct_fields__}
        return BulkImportDetailOut(**fields, items=[ImportItemOut.of(i) for i in items])

    @post("/bulk-import/{import_id:int}/", status_code=200, operation_id="clickup_bulk_import_stop")
    async def stop(
        self, request: AnyRequest, import_id: FromPath[int], bulk_imports: Imports
    ) -> BulkImportOut:
        """Stop the import before its next task (at once if it has not started)."""
        return BulkImportOut.of(await bulk_imports.stop(_me(request), SOURCE, import_id))

    @get("/bulk-import/{import_id:int}/progress/", operation_id="clickup_bulk_import_progress")
    async def progress(
        self, request: AnyRequest, import_id: FromPath[int], bulk_imports: Imports
    ) -> ProgressOut:
        """Counts, percentage, the task being worked on and the time left."""
        job, eta = await bulk_imports.progress(_me(request), SOURCE, import_id)
        return ProgressOut.of(job, eta)

    @post(
        "/bulk-import/{import_id:int}/retry-failed/",
        status_code=202,
        operation_id="clickup_bulk_import_retry",
    )
    async def retry_failed(
        self, request: AnyRequest, import_id: FromPath[int], bulk_imports: Imports
    ) -> BulkImportOut:
        """Run the failed tasks again (and those a stop left undone); done and skipped
        tasks are not touched."""
        return BulkImportOut.of(await bulk_imports.retry_failed(_me(request), SOURCE, import_id))
