"""Rules on what people type: passwords, emails, names."""

from __future__ import annotations

import re

from hrhelper.domain.errors import InvalidInput

__all__ = [
    "MIN_PASSWORD_LENGTH",
    "check_new_password",
    "normalize_email",
    "normalize_username",
    "password_problems",
]

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 128
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
_USERNAME = re.compile(r"[\w.@+-]{1,254}")


def password_problems(password: str) -> list[str]:
    """Every rule the password breaks (empty when it is acceptable)."""
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(f"The password must be at least {MIN_PASSWORD_LENGTH} characters long.")
    if len(password) > MAX_PASSWORD_LENGTH:
        problems.append(f"The password must be at most {MAX_PASSWORD_LENGTH} characters long.")
    if not any(ch.isalpha() for ch in password):
        problems.append("The password must contain at least one letter.")
    if not any(ch.isdigit() for ch in password):
        problems.append("The password must contain at least one digit.")
    return problems


def check_new_password(password: str, confirm: str | None) -> None:
    """Raise InvalidInput with field errors unless the password is acceptable and confirmed."""
    errors: dict[str, list[str]] = {}
    problems = password_problems(password)
    if problems:
        errors["password"] = problems
    if confirm is not None and confirm != password:
        errors["password_confirm"] = ["The passwords do not match."]
    if errors:
        raise InvalidInput.for_fields(errors, "The password is not acceptable.")


def normalize_email(email: str) -> str:
    """Trim and lowercase; raise InvalidInput on anything that is not an address."""
    value = email.strip().lower()
    if len(value) > 254 or not _EMAIL.match(value):
        raise InvalidInput.for_fields({"email": ["Enter a valid email address."]})
    return value


def normalize_username(username: str) -> str:
    """Trim and lowercase (sign-in compares lowercased); letters, digits and ``@.+-_`` only,
    as in the API this one replaces. InvalidInput otherwise."""
    value = username.strip().lower()
    if not _USERNAME.fullmatch(value):
        raise InvalidInput.for_fields(
            {"username": ["Enter a valid username: letters, digits and @/./+/-/_ only."]}
        )
    return value
