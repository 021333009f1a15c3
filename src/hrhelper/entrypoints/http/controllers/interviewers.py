"""Interviewers (HR and admins)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, delete, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from hrhelper.domain.interviewers.model import InterviewerQuery
from hrhelper.domain.interviewers.service import InterviewerService
from hrhelper.entrypoints.http.auth import staff_only
from hrhelper.entrypoints.http.openapi_errors import errors
from hrhelper.entrypoints.http.pagination import Page, PageParams
from hrhelper.entrypoints.http.schemas.identity import given_fields
from hrhelper.entrypoints.http.schemas.vacancies import (
    InterviewerIn,
    InterviewerOut,
    InterviewerPatchIn,
    all_fields,
)

__all__ = ["InterviewersController"]

Interviewers = NamedDependency[InterviewerService]


class InterviewersController(Controller):
    path = "/api/interviewers"
    tags = ["Interviewers"]  # noqa: RUF012 - Litestar reads class attributes
    guards = [staff_only]  # noqa: RUF012 - Litestar reads class attributes

    @get("/", operation_id="interviewers_list")
    async def list_interviewers(
        self,
        request: Request[Any, Any, Any],
        interviewers: Interviewers,
        pages: NamedDependency[PageParams],
        search: Annotated[str, QueryParameter(max_length=200)] = "",
        is_active: Annotated[bool | None, QueryParameter()] = None,
    ) -> Page[InterviewerOut]:
        """Interviewers; ``search`` looks in the specialization and the person's name."""
        query = InterviewerQuery(search, is_active, pages.offset, pages.limit)
        count, views = await interviewers.list(query)
        return Page.build(request, pages, count, [InterviewerOut.of(v) for v in views])

    @post(
        "/",
        status_code=201,
        operation_id="interviewers_create",
        responses=errors(409),
    )
    async def create(
        self, data: JSONBody[InterviewerIn], interviewers: Interviewers
    ) -> InterviewerOut:
        """Make a user an interviewer (one record per user)."""
        return InterviewerOut.of(await interviewers.create(all_fields(data)))

    @get("/{interviewer_id:int}/", operation_id="interviewers_detail")
    async def detail(
        self, interviewer_id: FromPath[int], interviewers: Interviewers
    ) -> InterviewerOut:
        """One interviewer."""
        return InterviewerOut.of(await interviewers.get(interviewer_id))

    @put(
        "/{interviewer_id:int}/",
        operation_id="interviewers_replace",
        responses=errors(409),
    )
    async def replace(
        self,
        interviewer_id: FromPath[int],
        data: JSONBody[InterviewerIn],
        interviewers: Interviewers,
    ) -> InterviewerOut:
        """Replace an interviewer's fields."""
        return InterviewerOut.of(await interviewers.update(interviewer_id, all_fields(data)))

    @patch(
        "/{interviewer_id:int}/",
        operation_id="interviewers_update",
        responses=errors(409),
    )
    async def update(
        self,
        interviewer_id: FromPath[int],
        data: JSONBody[InterviewerPatchIn],
        interviewers: Interviewers,
    ) -> InterviewerOut:
        """Change some of an interviewer's fields."""
        return InterviewerOut.of(await interviewers.update(interviewer_id, given_fields(data)))

    @delete("/{interviewer_id:int}/", operation_id="interviewers_delete")
    async def remove(self, interviewer_id: FromPath[int], interviewers: Interviewers) -> None:
        """Remove an interviewer record (the user stays)."""
        await interviewers.delete(interviewer_id)
