"""Finance: the grade ladder and currency rates."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, delete, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from hrhelper.domain.vacancies.grades import GradeService
from hrhelper.entrypoints.http.auth import admin_only
from hrhelper.entrypoints.http.openapi_errors import errors
from hrhelper.entrypoints.http.pagination import Page, PageParams
from hrhelper.entrypoints.http.schemas.identity import given_fields
from hrhelper.entrypoints.http.schemas.vacancies import GradeIn, GradeOut, GradePatchIn, all_fields

__all__ = ["GradesController"]


class GradesController(Controller):
    path = "/api/v1/finance/grades"
    tags = ["Finance"]  # noqa: RUF012 - Litestar reads class attributes

    @get("/", operation_id="grades_list")
    async def list_grades(
        self,
        request: Request[Any, Any, Any],
        grades: NamedDependency[GradeService],
        pages: NamedDependency[PageParams],
        is_active: Annotated[bool | None, QueryParameter()] = None,
    ) -> Page[GradeOut]:
        """Grades in ladder order (Junior first)."""
        count, rows = await grades.list(is_active, pages.offset, pages.limit)
        return Page.build(request, pages, count, [GradeOut.of(g) for g in rows])

    @post(
        "/",
        guards=[admin_only],
        status_code=201,
        operation_id="grades_create",
        responses=errors(409),
    )
    async def create(
        self, data: JSONBody[GradeIn], grades: NamedDependency[GradeService]
    ) -> GradeOut:
        """Add a grade; names are unique whatever their case."""
        return GradeOut.of(await grades.create(all_fields(data)))

    @get("/{grade_id:int}/", operation_id="grades_detail")
    async def detail(
        self, grade_id: FromPath[int], grades: NamedDependency[GradeService]
    ) -> GradeOut:
        """One grade."""
        return GradeOut.of(await grades.get(grade_id))

    @put(
        "/{grade_id:int}/",
        guards=[admin_only],
        operation_id="grades_replace",
        responses=errors(409),
    )
    async def replace(
        self,
        grade_id: FromPath[int],
        data: JSONBody[GradeIn],
        grades: NamedDependency[GradeService],
    ) -> GradeOut:
        """Replace a grade's fields."""
        return GradeOut.of(await grades.update(grade_id, all_fields(data)))

    @patch(
        "/{grade_id:int}/",
        guards=[admin_only],
        operation_id="grades_update",
        responses=errors(409),
    )
    async def update(
        self,
        grade_id: FromPath[int],
        data: JSONBody[GradePatchIn],
        grades: NamedDependency[GradeService],
    ) -> GradeOut:
        """Change some of a grade's fields."""
        return GradeOut.of(await grades.update(grade_id, given_fields(data)))

    @delete(
        "/{grade_id:int}/",
        guards=[admin_only],
        operation_id="grades_delete",
        responses=errors(409),
    )
    async def remove(self, grade_id: FromPath[int], grades: NamedDependency[GradeService]) -> None:
        """Delete a grade; refused (409) while vacancies use it."""
        await grades.delete(grade_id)
