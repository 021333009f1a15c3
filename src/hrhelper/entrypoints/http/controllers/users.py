"""Users as the HR Helper API shows them."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, delete, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from hrhelper.domain.errors import InvalidInput
from hrhelper.domain.identity.users import UserChanges, UserService
from hrhelper.entrypoints.http.auth import admin_only, current_user, staff_only
from hrhelper.entrypoints.http.openapi_errors import errors
from hrhelper.entrypoints.http.pagination import Page, PageParams
from hrhelper.entrypoints.http.schemas.identity import UserDetailOut, UserWriteIn, given_fields
from hrhelper.ports.identity import UserQuery

__all__ = ["UsersController"]


def _changes(data: JSONBody[UserWriteIn]) -> UserChanges:
    values = given_fields(data)
    password = values.pop("password", None)
    return UserChanges(values=values, password=str(password) if password is not None else None)


class UsersController(Controller):
    path = "/api/users"
    tags = ["Users"]  # noqa: RUF012 - Litestar reads class attributes

    @get("/", guards=[staff_only], operation_id="users_list")
    async def list_users(
        self,
        request: Request[Any, Any, Any],
        users: NamedDependency[UserService],
        pages: NamedDependency[PageParams],
        search: Annotated[str, QueryParameter(max_length=200)] = "",
    ) -> Page[UserDetailOut]:
        """Users, searched by name, username or email."""
        count, views = await users.list(
            current_user(request), UserQuery(search=search, offset=pages.offset, limit=pages.limit)
        )
        return Page.build(request, pages, count, [UserDetailOut.of(v) for v in views])

    @post("/", guards=[admin_only], status_code=201, operation_id="users_create")
    async def create(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[UserWriteIn],
        users: NamedDependency[UserService],
    ) -> UserDetailOut:
        """Create a user (admins)."""
        changes = _changes(data)
        if not changes.password:
            raise InvalidInput.for_fields({"password": ["This field is required."]})
        if "email" not in changes.values:
            raise InvalidInput.for_fields({"email": ["This field is required."]})
        view = await users.create(current_user(request), changes.values, changes.password)
        return UserDetailOut.of(view)

    @get("/{user_id:int}/", operation_id="users_detail")
    async def detail(
        self,
        request: Request[Any, Any, Any],
        user_id: FromPath[int],
        users: NamedDependency[UserService],
    ) -> UserDetailOut:
        """A user; candidates can read only themselves."""
        return UserDetailOut.of(await users.get(current_user(request), user_id))

    @put("/{user_id:int}/", operation_id="users_replace")
    async def replace(
        self,
        request: Request[Any, Any, Any],
        user_id: FromPath[int],
        data: JSONBody[UserWriteIn],
        users: NamedDependency[UserService],
    ) -> UserDetailOut:
        """Update a user (the fields given; owners may change only their own names and keys)."""
        view = await users.update(current_user(request), user_id, _changes(data))
        return UserDetailOut.of(view)

    @patch("/{user_id:int}/", operation_id="users_update")
    async def update(
        self,
        request: Request[Any, Any, Any],
        user_id: FromPath[int],
        data: JSONBody[UserWriteIn],
        users: NamedDependency[UserService],
    ) -> UserDetailOut:
        """Partly update a user: names, integration keys (stored encrypted, answered masked);
        admins also role, activity, verification and email."""
        view = await users.update(current_user(request), user_id, _changes(data))
        return UserDetailOut.of(view)

    @delete(
        "/{user_id:int}/", guards=[admin_only], operation_id="users_delete", responses=errors(409)
    )
    async def remove(
        self,
        request: Request[Any, Any, Any],
        user_id: FromPath[int],
        users: NamedDependency[UserService],
    ) -> None:
        """Delete a user (admins)."""
        await users.delete(current_user(request), user_id)
