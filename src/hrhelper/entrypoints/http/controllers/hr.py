"""HR managers: their sign-in and own profile, and the admin's management of them."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.connection import ASGIConnection
from litestar.di import NamedDependency
from litestar.handlers.base import BaseRouteHandler
from litestar.params import FromPath, JSONBody

from hrhelper.domain.errors import InvalidInput, NotPermitted
from hrhelper.domain.identity.auth import AuthService
from hrhelper.domain.identity.hr import HrService, NewHr
from hrhelper.domain.identity.model import Role
from hrhelper.domain.identity.one_time import LinkPurpose
from hrhelper.entrypoints.http.auth import admin_only, current_user
from hrhelper.entrypoints.http.controllers._common import client_address
from hrhelper.entrypoints.http.controllers.auth import PUBLIC, login_response
from hrhelper.entrypoints.http.openapi_errors import errors
from hrhelper.entrypoints.http.pagination import Page, PageParams
from hrhelper.entrypoints.http.schemas.identity import (
    HrCreatedOut,
    HrCreateIn,
    HrListItemOut,
    HrLoginOut,
    HrProfileOut,
    HrUpdateIn,
    LoginIn,
    MessageOut,
    SetPasswordIn,
    ToggleOut,
    TokensOut,
    UserOut,
    given_fields,
)

__all__ = ["HrAdminController", "HrSelfController"]


def _hr_only(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    if current_user(connection).role is not Role.HR:
        raise NotPermitted("Only HR managers have an HR profile.")


class HrSelfController(Controller):
    path = "/api/auth/hr"
    tags = ["HR"]  # noqa: RUF012 - Litestar reads class attributes

    @post(
        "/login/",
        opt=PUBLIC,
        status_code=200,
        operation_id="hr_login",
        responses=errors(429),
    )
    async def login(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[LoginIn],
        auth: NamedDependency[AuthService],
        hr_service: NamedDependency[HrService],
        secure_cookies: NamedDependency[bool],
    ) -> Response[HrLoginOut]:
        """Sign in as an HR manager; the answer adds the HR profile."""
        login = data.email or data.username
        if not login:
            raise InvalidInput.for_fields({"email": ["Give an email or a username."]})
        result = await auth.login(login, data.password, client_address(request))
        if result.user.role is not Role.HR:
            await auth.logout(result.user.pk, result.tokens.refresh, None)
            raise NotPermitted("This sign-in is for HR managers.")
        profile = await hr_service.mine(result.user)
        body = HrLoginOut(
            True,
            "Logged in.",
            UserOut.of(result.user),
            TokensOut.of(result.tokens),
            HrProfileOut.of(profile),
        )
        return await login_response(auth, result, secure_cookies, body)

    @post(
        "/set-password/",
        opt=PUBLIC,
        status_code=200,
        operation_id="hr_set_password",
        responses=errors(429),
    )
    async def set_password(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[SetPasswordIn],
        auth: NamedDependency[AuthService],
    ) -> MessageOut:
        """First sign-in of an invited HR manager: choose a password with the mailed link."""
        await auth.set_password(
            data.uid,
            data.token,
            data.password,
            data.password_confirm,
            client_address(request),
            LinkPurpose.SET_PASSWORD,
        )
        return MessageOut(True, "The password is set; you can sign in now.")

    @get("/me/", guards=[_hr_only], operation_id="hr_me")
    async def me(
        self, request: Request[Any, Any, Any], hr_service: NamedDependency[HrService]
    ) -> HrProfileOut:
        """The signed-in HR manager's profile."""
        return HrProfileOut.of(await hr_service.mine(current_user(request)))

    @patch("/me/", guards=[_hr_only], operation_id="hr_me_update")
    async def update_me(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[HrUpdateIn],
        hr_service: NamedDependency[HrService],
    ) -> HrProfileOut:
        """Change one's names and profile fields."""
        user = current_user(request)
        await hr_service.mine(user)  # make sure the profile exists
        changes = {k: str(v) for k, v in given_fields(data).items()}
        return HrProfileOut.of(await hr_service.update(None, user, changes))


class HrAdminController(Controller):
    path = "/api/auth/hr"
    tags = ["HR administration"]  # noqa: RUF012 - Litestar reads class attributes
    guards = [admin_only]  # noqa: RUF012 - Litestar reads class attributes

    @get("/", operation_id="hr_list")
    async def list_hr(
        self,
        request: Request[Any, Any, Any],
        hr_service: NamedDependency[HrService],
        pages: NamedDependency[PageParams],
    ) -> Page[HrListItemOut]:
        """All HR managers, newest first."""
        count, views = await hr_service.list(pages.offset, pages.limit)
        return Page.build(request, pages, count, [HrListItemOut.of(v) for v in views])

    @post("/", status_code=201, operation_id="hr_create")
    async def create(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[HrCreateIn],
        hr_service: NamedDependency[HrService],
    ) -> HrCreatedOut:
        """Create an HR manager; they get a mail with a link to set their password."""
        fields = given_fields(data)
        profile = {
            k: str(v) for k, v in fields.items() if k not in ("email", "first_name", "last_name")
        }
        view = await hr_service.create(
            current_user(request), NewHr(data.email, data.first_name, data.last_name, profile)
        )
        return HrCreatedOut(
            True,
            "The HR user is created; instructions were sent by email.",
            HrProfileOut.of(view),
        )

    @get("/{profile_id:int}/", operation_id="hr_detail")
    async def detail(
        self, profile_id: FromPath[int], hr_service: NamedDependency[HrService]
    ) -> HrProfileOut:
        """One HR manager."""
        return HrProfileOut.of(await hr_service.get(profile_id))

    @patch("/{profile_id:int}/", operation_id="hr_update")
    async def update(
        self,
        request: Request[Any, Any, Any],
        profile_id: FromPath[int],
        data: JSONBody[HrUpdateIn],
        hr_service: NamedDependency[HrService],
    ) -> HrProfileOut:
        """Change an HR manager's names and profile fields."""
        changes = {k: str(v) for k, v in given_fields(data).items()}
        return HrProfileOut.of(await hr_service.update(profile_id, current_user(request), changes))

    @delete("/{profile_id:int}/", operation_id="hr_delete")
    async def remove(
        self, profile_id: FromPath[int], hr_service: NamedDependency[HrService]
    ) -> None:
        """Delete an HR manager and their account."""
        await hr_service.delete(profile_id)

    @post("/{profile_id:int}/toggle_active/", status_code=200, operation_id="hr_toggle_active")
    async def toggle_active(
        self, profile_id: FromPath[int], hr_service: NamedDependency[HrService]
    ) -> ToggleOut:
        """Deactivate (signing them out everywhere) or reactivate an HR manager."""
        active = await hr_service.toggle_active(profile_id)
        message = "The HR user is activated." if active else "The HR user is deactivated."
        return ToggleOut(True, message, active)

    @post("/{profile_id:int}/reset_password/", status_code=200, operation_id="hr_reset_password")
    async def reset_password(
        self, profile_id: FromPath[int], hr_service: NamedDependency[HrService]
    ) -> MessageOut:
        """Mail the HR manager a one-time link to set a new password (never a password)."""
        await hr_service.send_reset_link(profile_id)
        return MessageOut(True, "A password reset link was sent to the HR user's email.")
