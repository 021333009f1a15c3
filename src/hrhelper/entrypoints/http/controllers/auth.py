"""Authentication: sign-up, sign-in, tokens, the account links, the own profile."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, patch, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, MultipartBody, QueryParameter

from hrhelper.domain.errors import InvalidInput
from hrhelper.domain.identity.auth import AuthService, LoginResult, Registration
from hrhelper.domain.identity.one_time import LinkPurpose
from hrhelper.domain.identity.profiles import ProfileService, ResumeUpload
from hrhelper.domain.identity.resume import MAX_RESUME_BYTES
from hrhelper.entrypoints.http.auth import CSRF_COOKIE, current_user, session_cookies
from hrhelper.entrypoints.http.controllers._common import client_address
from hrhelper.entrypoints.http.docs import SESSION_COOKIE, OptionalBody
from hrhelper.entrypoints.http.openapi_errors import errors
from hrhelper.entrypoints.http.schemas.identity import (
    GoogleIn,
    LoginIn,
    LoginOut,
    LogoutIn,
    MessageOut,
    ProfileOut,
    RefreshIn,
    RegisterIn,
    RegisterOut,
    ResetRequestIn,
    SetPasswordIn,
    TokensOut,
    UserOut,
)

__all__ = ["AuthController", "login_response"]

PUBLIC = {"public": True}


async def login_response(
    auth: NamedDependency[AuthService], result: LoginResult, secure: bool, body: Any
) -> Response[Any]:
    """The JSON answer plus a browser session (HttpOnly cookie) and its CSRF cookie."""
    session = await auth.open_session(result.user)
    return Response(body, cookies=session_cookies(session, secrets.token_urlsafe(32), secure))


@dataclass
class ProfileForm:
    bio: str | None = None
    phone: str | None = None
    linkedin: str | None = None
    resume: UploadFile | None = None


class AuthController(Controller):
    path = "/api/auth"
    tags = ["Authentication"]  # noqa: RUF012 - Litestar reads class attributes

    @post(
        "/register/",
        opt=PUBLIC,
        status_code=201,
        operation_id="auth_register",
        responses=errors(409, 429),
    )
    async def register(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[RegisterIn],
        auth: NamedDependency[AuthService],
    ) -> RegisterOut:
        """Candidate sign-up: role ``user``, unverified; a verification link is mailed."""
        result = await auth.register(
            Registration(
                data.email, data.first_name, data.last_name, data.password, data.password_confirm
            ),
            client_address(request),
        )
        return RegisterOut(
            success=True,
            message="Registration succeeded. Check your email to confirm the address.",
            user=UserOut.of(result.user),
            tokens=TokensOut.of(result.tokens),
        )

    @post(
        "/login/",
        opt=PUBLIC,
        status_code=200,
        operation_id="auth_login",
        responses=errors(429),
    )
    async def login(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[LoginIn],
        auth: NamedDependency[AuthService],
        secure_cookies: NamedDependency[bool],
    ) -> Response[LoginOut]:
        """Sign in with ``email`` or ``username`` and ``password``: JWT pair and a session."""
        login = data.email or data.username
        if not login:
            raise InvalidInput.for_fields({"email": ["Give an email or a username."]})
        result = await auth.login(login, data.password, client_address(request))
        body = LoginOut(True, "Logged in.", UserOut.of(result.user), TokensOut.of(result.tokens))
        return await login_response(auth, result, secure_cookies, body)

    @post("/google/", opt=PUBLIC, status_code=200, operation_id="auth_google")
    async def google(
        self,
        data: JSONBody[GoogleIn],
        auth: NamedDependency[AuthService],
        secure_cookies: NamedDependency[bool],
    ) -> Response[LoginOut]:
        """Sign in with a Google ID token; creates or links the account of its address."""
        result = await auth.login_with_google(data.token)
        body = LoginOut(True, "Logged in.", UserOut.of(result.user), TokensOut.of(result.tokens))
        return await login_response(auth, result, secure_cookies, body)

    @get("/verify-email/", opt=PUBLIC, operation_id="auth_verify_email")
    async def verify_email(
        self,
        auth: NamedDependency[AuthService],
        token: Annotated[str, QueryParameter(max_length=128)],
        uid: Annotated[str, QueryParameter(max_length=64)],
    ) -> MessageOut:
        """Confirm the address with the link from the mail (works once)."""
        await auth.verify_email(uid, token)
        return MessageOut(True, "The email address is confirmed.")

    @get("/me/", operation_id="auth_me")
    async def me(self, request: Request[Any, Any, Any]) -> UserOut:
        """The signed-in user."""
        return UserOut.of(current_user(request))

    @get("/profile/", operation_id="auth_profile")
    async def profile(
        self, request: Request[Any, Any, Any], profiles: NamedDependency[ProfileService]
    ) -> ProfileOut:
        """The signed-in user's profile."""
        return ProfileOut.of(await profiles.mine(current_user(request)))

    @patch("/profile/{profile_id:int}/", operation_id="auth_profile_update")
    async def update_profile(
        self,
        request: Request[Any, Any, Any],
        profile_id: FromPath[int],
        profiles: NamedDependency[ProfileService],
        data: MultipartBody[ProfileForm],
    ) -> ProfileOut:
        """Change bio, phone, LinkedIn and the resume (PDF, DOC, DOCX, RTF or TXT, 10 MB)."""
        changes = {
            name: value
            for name in ("bio", "phone", "linkedin")
            if (value := getattr(data, name)) is not None
        }
        resume = None
        if data.resume is not None:
            content = await data.resume.read(MAX_RESUME_BYTES + 1)
            resume = ResumeUpload(data.resume.filename or "resume", content)
        view = await profiles.update(current_user(request), profile_id, changes, resume)
        return ProfileOut.of(view)

    @post(
        "/token/refresh/",
        opt=PUBLIC,
        status_code=200,
        operation_id="auth_token_refresh",
    )
    async def refresh(
        self, data: JSONBody[RefreshIn], auth: NamedDependency[AuthService]
    ) -> TokensOut:
        """Spend a refresh token for a new pair; the old one stops working."""
        return TokensOut.of((await auth.refresh(data.refresh)).tokens)

    @post("/logout/", status_code=200, operation_id="auth_logout", operation_class=OptionalBody)
    async def logout(
        self,
        request: Request[Any, Any, Any],
        auth: NamedDependency[AuthService],
        data: JSONBody[LogoutIn | None] = None,
    ) -> Response[MessageOut]:
        """Revoke the given refresh token and end the browser session."""
        refresh = data.refresh if data else ""
        await auth.logout(current_user(request).pk, refresh, request.cookies.get(SESSION_COOKIE))
        response = Response(MessageOut(True, "Logged out."))
        response.delete_cookie(SESSION_COOKIE)
        response.delete_cookie(CSRF_COOKIE)
        return response

    @post(
        "/password-reset/",
        opt=PUBLIC,
        status_code=200,
        operation_id="auth_password_reset",
        responses=errors(429),
    )
    async def password_reset(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[ResetRequestIn],
        auth: NamedDependency[AuthService],
    ) -> MessageOut:
        """Mail a reset link if the address is known (the answer is the same either way)."""
        await auth.request_password_reset(data.email, client_address(request))
        return MessageOut(True, "If the address is known, a reset link has been sent.")

    @post(
        "/password-reset-confirm/",
        opt=PUBLIC,
        status_code=200,
        operation_id="auth_password_reset_confirm",
        responses=errors(429),
    )
    async def password_reset_confirm(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[SetPasswordIn],
        auth: NamedDependency[AuthService],
    ) -> MessageOut:
        """Set a new password with the link from the mail; every session is signed out."""
        await auth.set_password(
            data.uid,
            data.token,
            data.password,
            data.password_confirm,
            client_address(request),
            LinkPurpose.RESET_PASSWORD,
        )
        return MessageOut(True, "The password has been changed.")
