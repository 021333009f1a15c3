"""The texts of identity mails. Links only: a password never goes into a mail."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from hrhelper.domain.identity.model import User

__all__ = ["LinkBuilder", "invitation_mail", "reset_mail", "verification_mail"]


@dataclass(frozen=True)
class LinkBuilder:
    """Links are built from PUBLIC_URL. Verification is an API GET; the two password links
    open the client's pages, which post the uid and token to the API."""

    public_url: str

    def verify_email(self, uid: str, token: str) -> str:
        return self._url("/api/auth/verify-email/", uid, token)

    def set_password(self, uid: str, token: str) -> str:
        return self._url("/auth/set-password/", uid, token)

    def reset_password(self, uid: str, token: str) -> str:
        return self._url("/auth/reset-password/", uid, token)

    def _url(self, path: str, uid: str, token: str) -> str:
        return f"{self.public_url.rstrip('/')}{path}?{urlencode({'uid': uid, 'token': token})}"


def verification_mail(user: User, link: str) -> tuple[str, str]:
    return "Подтверждение email - hrhelper", (
        f"Здравствуйте, {user.first_name or user.email}!\n\n"
        "Спасибо за регистрацию в hrhelper!\n\n"
        f"Пожалуйста, подтвердите ваш email, перейдя по ссылке:\n{link}\n\n"
        "Если вы не регистрировались на нашем сайте, просто проигнорируйте это письмо.\n"
    )


def invitation_mail(user: User, link: str) -> tuple[str, str]:
    return "Добро пожаловать в hrhelper", (
        f"Привет, {user.first_name or user.email}!\n\n"
        "Для вас создана учётная запись HR в hrhelper.\n"
        f"Логин: {user.email}\n\n"
        f"Задайте пароль по ссылке (она действует ограниченное время и работает один раз):\n"
        f"{link}\n\n"
        "Не передавайте эту ссылку третьим лицам.\n"
    )


def reset_mail(user: User, link: str) -> tuple[str, str]:
    return "Сброс пароля - hrhelper", (
        f"Здравствуйте, {user.first_name or user.email}!\n\n"
        "Чтобы задать новый пароль, перейдите по ссылке (она работает один раз):\n"
        f"{link}\n\n"
        "Если вы не запрашивали сброс пароля, просто проигнорируйте это письмо.\n"
    )
