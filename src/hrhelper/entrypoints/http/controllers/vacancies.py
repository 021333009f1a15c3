"""Vacancies: staff write; candidates read the active ones."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, delete, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from hrhelper.domain.vacancies.model import VacancyQuery
from hrhelper.domain.vacancies.vacancies import VacancyService
from hrhelper.entrypoints.http.auth import current_user, staff_only
from hrhelper.entrypoints.http.openapi_errors import errors
from hrhelper.entrypoints.http.pagination import Page, PageParams
from hrhelper.entrypoints.http.schemas.identity import given_fields
from hrhelper.entrypoints.http.schemas.vacancies import (
    AssignGradesIn,
    VacancyIn,
    VacancyOut,
    VacancyPatchIn,
    VacancyStatsOut,
    all_fields,
)

__all__ = ["VacanciesController"]

Vacancies = NamedDependency[VacancyService]


class VacanciesController(Controller):
    path = "/api/vacancies"
    tags = ["Vacancies"]  # noqa: RUF012 - Litestar reads class attributes

    @get("/", operation_id="vacancies_list")
    async def list_vacancies(
        self,
        request: Request[Any, Any, Any],
        vacancies: Vacancies,
        pages: NamedDependency[PageParams],
        search: Annotated[str, QueryParameter(max_length=200)] = "",
        recruiter: Annotated[int | None, QueryParameter(ge=1)] = None,
        is_active: Annotated[bool | None, QueryParameter()] = None,
    ) -> Page[VacancyOut]:
        """Newest first; ``search`` looks in the name, external id, invite and scorecard
        titles. Candidates see active vacancies only."""
        query = VacancyQuery(search, recruiter, is_active, pages.offset, pages.limit)
        count, views = await vacancies.list(current_user(request), query)
        return Page.build(request, pages, count, [VacancyOut.of(v) for v in views])

    @post(
        "/",
        guards=[staff_only],
        status_code=201,
        operation_id="vacancies_create",
        responses=errors(409),
    )
    async def create(self, data: JSONBody[VacancyIn], vacancies: Vacancies) -> VacancyOut:
        """Create a vacancy; the recruiter must be HR or admin, grades existing and active."""
        return VacancyOut.of(await vacancies.create(all_fields(data)))

    @get("/stats/", guards=[staff_only], operation_id="vacancies_stats")
    async def stats(self, vacancies: Vacancies) -> VacancyStatsOut:
        """Totals, counts by recruiter and by grade, and the five newest vacancies."""
        return VacancyStatsOut.of(await vacancies.stats())

    @get("/{vacancy_id:int}/", operation_id="vacancies_detail")
    async def detail(
        self, request: Request[Any, Any, Any], vacancy_id: FromPath[int], vacancies: Vacancies
    ) -> VacancyOut:
        """One vacancy."""
        return VacancyOut.of(await vacancies.get(current_user(request), vacancy_id))

    @put(
        "/{vacancy_id:int}/",
        guards=[staff_only],
        operation_id="vacancies_replace",
        responses=errors(409),
    )
    async def replace(
        self, vacancy_id: FromPath[int], data: JSONBody[VacancyIn], vacancies: Vacancies
    ) -> VacancyOut:
        """Replace a vacancy's fields."""
        return VacancyOut.of(await vacancies.update(vacancy_id, all_fields(data)))

    @patch(
        "/{vacancy_id:int}/",
        guards=[staff_only],
        operation_id="vacancies_update",
        responses=errors(409),
    )
    async def update(
        self, vacancy_id: FromPath[int], data: JSONBody[VacancyPatchIn], vacancies: Vacancies
    ) -> VacancyOut:
        """Change some of a vacancy's fields."""
        return VacancyOut.of(await vacancies.update(vacancy_id, given_fields(data)))

    @delete("/{vacancy_id:int}/", guards=[staff_only], operation_id="vacancies_delete")
    async def remove(self, vacancy_id: FromPath[int], vacancies: Vacancies) -> None:
        """Delete a vacancy."""
        await vacancies.delete(vacancy_id)

    @post(
        "/{vacancy_id:int}/toggle-active/",
        guards=[staff_only],
        status_code=200,
        operation_id="vacancies_toggle_active",
    )
    async def toggle_active(self, vacancy_id: FromPath[int], vacancies: Vacancies) -> VacancyOut:
        """Flip ``is_active`` and answer the vacancy."""
        return VacancyOut.of(await vacancies.toggle_active(vacancy_id))

    @post(
        "/{vacancy_id:int}/assign-grades/",
        guards=[staff_only],
        status_code=200,
        operation_id="vacancies_assign_grades",
    )
    async def assign_grades(
        self, vacancy_id: FromPath[int], data: JSONBody[AssignGradesIn], vacancies: Vacancies
    ) -> VacancyOut:
        """Replace the vacancy's grades with ``grade_ids`` (existing, active grades)."""
        return VacancyOut.of(await vacancies.assign_grades(vacancy_id, data.grade_ids))
