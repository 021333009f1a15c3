"""The bulk import routes every card source shares; a source's controller sets ``path`` and
``source`` and adds its own start route (its body names the limit and the delay its way)."""

from __future__ import annotations

from typing import Any, ClassVar

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from hrhelper.domain.recruiting.bulk_import import BulkImportService
from hrhelper.entrypoints.http.auth import current_user, staff_only
from hrhelper.entrypoints.http.openapi_errors import errors
from hrhelper.entrypoints.http.pagination import Page, PageParams
from hrhelper.entrypoints.http.schemas.bulk_import import (
    BulkImportDetailOut,
    BulkImportOut,
    ImportItemOut,
    ProgressOut,
)

__all__ = ["BulkImportRoutes", "Imports", "me", "operation"]

Imports = NamedDependency[BulkImportService]
AnyRequest = Request[Any, Any, Any]


def me(request: AnyRequest) -> int:
    return current_user(request).pk


def operation(name: str) -> Any:
    """An operation id per source: ``clickup_<name>`` under ``/api/v1/clickup-int``."""

    def create(_handler: object, _method: object, parts: list[object]) -> str:
        return f"{str(parts[2]).removesuffix('-int')}_{name}"

    return create


class BulkImportRoutes(Controller):
    source: ClassVar[str] = ""
    guards = [staff_only]  # noqa: RUF012 - Litestar reads class attributes

    @get("/bulk-import/", operation_id=operation("bulk_import_list"))
    async def imports(
        self, request: AnyRequest, bulk_imports: Imports, pages: NamedDependency[PageParams]
    ) -> Page[BulkImportOut]:
        """The caller's bulk imports, newest first."""
        count, jobs = await bulk_imports.imports(
            me(request), self.source, pages.offset, pages.limit
        )
        return Page.build(request, pages, count, [BulkImportOut.of(job) for job in jobs])

    @get("/bulk-import/{import_id:int}/", operation_id=operation("bulk_import_detail"))
    async def detail(
        self, request: AnyRequest, import_id: FromPath[int], bulk_imports: Imports
    ) -> BulkImportDetailOut:
        """One import with the outcome of each of its cards."""
        job = await bulk_imports.get(me(request), self.source, import_id)
        items = await bulk_imports.items(me(request), self.source, import_id)
        base = BulkImportOut.of(job)
        fields = {name: getattr(base, name) for name in base.__struct_fields__}
        return BulkImportDetailOut(**fields, items=[ImportItemOut.of(i) for i in items])

    @post(
        "/bulk-import/{import_id:int}/",
        status_code=200,
        operation_id=operation("bulk_import_stop"),
        responses=errors(409),
    )
    async def stop(
        self, request: AnyRequest, import_id: FromPath[int], bulk_imports: Imports
    ) -> BulkImportOut:
        """Stop the import before its next card (at once if it has not started)."""
        return BulkImportOut.of(await bulk_imports.stop(me(request), self.source, import_id))

    @get("/bulk-import/{import_id:int}/progress/", operation_id=operation("bulk_import_progress"))
    async def progress(
        self, request: AnyRequest, import_id: FromPath[int], bulk_imports: Imports
    ) -> ProgressOut:
        """Counts, percentage, the card being worked on and the time left."""
        job, eta = await bulk_imports.progress(me(request), self.source, import_id)
        return ProgressOut.of(job, eta)

    @post(
        "/bulk-import/{import_id:int}/retry-failed/",
        status_code=202,
        operation_id=operation("bulk_import_retry"),
        responses=errors(409),
    )
    async def retry_failed(
        self, request: AnyRequest, import_id: FromPath[int], bulk_imports: Imports
    ) -> BulkImportOut:
        """Run the failed cards again (and those a stop left undone); done and skipped cards
        are not touched."""
        job = await bulk_imports.retry_failed(me(request), self.source, import_id)
        return BulkImportOut.of(job)
