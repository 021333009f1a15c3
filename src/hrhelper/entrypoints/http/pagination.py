"""Page-number pagination: ``page``, ``page_size`` (default 20, max 100) and
``{count, next, previous, results}`` with absolute links."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar
from urllib.parse import urlencode

import msgspec
from litestar import Request
from litestar.params import Parameter

from hrhelper.domain.errors import NotFound

__all__ = ["DEFAULT_PAGE_SIZE", "MAX_PAGE_SIZE", "Page", "PageParams", "page_params"]

T = TypeVar("T")
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


@dataclass(frozen=True, slots=True)
class PageParams:
    page: int
    page_size: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size

    @property
    def limit(self) -> int:
        return self.page_size


async def page_params(
    page: Annotated[int, Parameter(ge=1, description="Page number, from 1.")] = 1,
    page_size: Annotated[
        int, Parameter(ge=1, le=MAX_PAGE_SIZE, description="Items per page (max 100).")
    ] = DEFAULT_PAGE_SIZE,
) -> PageParams:
    """Dependency: bad values (not a number, 0, over the maximum) are a 400."""
    return PageParams(page=page, page_size=page_size)


class Page(msgspec.Struct, Generic[T]):
    count: int
    next: str | None
    previous: str | None
    results: list[T]

    @classmethod
    def build(
        cls,
        request: Request[Any, Any, Any],
        params: PageParams,
        count: int,
        results: Sequence[T],
    ) -> Page[T]:
        """A page beyond the last is a 404, as in the API this one replaces."""
        if params.page > 1 and params.offset >= count:
            raise NotFound("Invalid page.", {"page": params.page})
        has_next = params.offset + len(results) < count
        return cls(
            count=count,
            next=_link(request, params.page + 1) if has_next else None,
            previous=_link(request, params.page - 1) if params.page > 1 else None,
            results=list(results),
        )


def _link(request: Request[Any, Any, Any], page: int) -> str:
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "page"]
    if page > 1:
        query.append(("page", str(page)))
    # Litestar drops the trailing slash from the routed path; the link keeps the path as asked
    raw = request.scope.get("raw_path") or b""
    path = raw.decode("latin-1").split("?", 1)[0] or request.url.path
    return str(request.url.with_replacements(path=path, query=urlencode(query)))
