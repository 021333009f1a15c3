"""Typed settings read from the environment, and from an optional ``.env`` file.

Plain names as in the spec (DATABASE_URL, REDIS_URL, ...). The environment wins over ``.env``.
Every outside service's base URL is a setting, defaulting to the real service, so a test can
point it at a fake.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Literal, get_type_hints

__all__ = ["Settings", "SettingsError", "load_settings"]

Environment = Literal["development", "production", "test"]
_DEV_SECRET = "insecure-development-secret-key-change-me"  # noqa: S105 - dev only, refused in prod


class SettingsError(ValueError):
    """The configuration cannot start the service."""


@dataclass(frozen=True)
class Settings:
    environment: Environment = "development"
    """development (readable logs, embedded defaults), production (JSON logs, SECRET_KEY
    required, Secure cookies) or test."""
    secret_key: str = ""
    """Signs tokens and derives the key that encrypts stored secrets. Required in production."""
    encryption_key: str = ""
    """Optional separate key for secrets at rest; derived from SECRET_KEY when empty."""
    database_url: str = "sqlite+aiosqlite:///./var/hrhelper.sqlite3"
    database_pool_size: int = 10
    redis_url: str = ""
    """Empty: the embedded default (jobs in-process, cache in memory)."""
    public_url: str = "http://127.0.0.1:8000"
    """Base of links in mails."""
    smtp_url: str = ""
    """smtp://user:pass@host:587?starttls=true or smtps://...; empty keeps mail in the outbox
    and logs it (development)."""
    email_from: str = "hrhelper <no-reply@hrhelper.local>"
    media_root: str = "./var/media"
    """Where uploaded files (resumes) are kept."""
    password_hash_threads: int = 2
    """Threads that run argon2; requests beyond a short queue get 503."""
    login_limit_per_ip: str = "30/300"
    """Login attempts allowed per client address, as ``attempts/seconds``."""
    login_limit_per_account: str = "10/900"
    """Login attempts allowed per account, as ``attempts/seconds``."""
    log_level: str = "INFO"
    log_format: Literal["auto", "json", "console"] = "auto"
    cors_allowed_origins: str = ""
    """Comma-separated origins allowed by CORS; empty disables CORS."""
    max_request_body_bytes: int = 12 * 1024 * 1024
    dramatiq_namespace: str = "hrhelper"
    """Redis key prefix of the job queues (lets several deployments share one Redis)."""
    job_min_backoff_ms: int = 5_000
    job_max_backoff_ms: int = 15 * 60 * 1_000
    transfer_lease_seconds: int = 600
    """How long a card's transfer into Huntflow is held by the attempt working on it; a
    worker that dies keeps it that long, so keep it above the slowest transfer."""
    bulk_import_stale_seconds: int = 300
    """A bulk import whose run has not beaten for this long is taken for dead and queued
    again by the scheduler's sweep (every minute). A run beats between cards, so keep this
    above the slowest single transfer."""
    bulk_import_busy_retry_seconds: int = 5
    """How long a bulk import waits before trying again a card another attempt holds."""
    bulk_import_outage_retry_seconds: float = 5.0
    """When Huntflow or the source is out of reach (no answer in time, 429 or 502/503/504
    after the client's own retries), a bulk import pauses this long before trying the same
    card again, doubling the pause each time up to twelve times this (60 s)."""
    bulk_import_outage_give_up_seconds: int = 3600
    """An outage longer than this ends the import ``failed`` with its cards still pending;
    retry-failed goes on from there."""
    outside_timeout_seconds: float = 30.0
    """How long a call to the Huntflow, ClickUp or Notion API may wait for an answer (file
    uploads and downloads have longer limits of their own)."""
    google_client_id: str = ""
    google_client_secret: str = ""
    telegram_bot_token: str = ""
    huntflow_api_url: str = "https://api.huntflow.ru/v2"
    """The production Huntflow API; a user's ``huntflow_prod_url`` wins over it."""
    huntflow_sandbox_api_url: str = "https://api.huntflow.dev/v2"
    """The sandbox Huntflow API; a user's ``huntflow_sandbox_url`` wins over it."""
    huntflow_allowed_hosts: str = ""
    """Comma-separated hosts a user's own Huntflow URL may point to, besides the hosts of the
    two URLs above (tokens are sent there, so other hosts are refused)."""
    huntflow_user_agent: str = "hrhelper/0.1 (+https://github.com/hrhelper)"
    """Huntflow refuses requests without a User-Agent."""
    clickup_api_url: str = "https://api.clickup.com/api/v2"
    clickup_requests_per_minute: int = 100
    """ClickUp's limit per token for the workspace's plan: 100 (Free to Business), 1000
    (Business Plus), 10000 (Enterprise)."""
    huntflow_requests_per_second: int = 8
    """Requests per second per Huntflow token; Huntflow answers 429 above 10."""
    notion_requests_per_second: int = 3
    """Requests per second per Notion token: Notion's documented average."""
    notion_api_url: str = "https://api.notion.com/v1"
    notion_version: str = "2022-06-28"
    gemini_api_url: str = "https://generativelanguage.googleapis.com/v1beta"
    gemini_model: str = "gemini-3.5-flash"
    telegram_api_url: str = "https://api.telegram.org"
    google_oauth_url: str = "https://oauth2.googleapis.com/token"
    google_auth_url: str = "https://accounts.google.com/o/oauth2/v2/auth"
    google_certs_url: str = "https://www.googleapis.com/oauth2/v3/certs"
    google_api_url: str = "https://www.googleapis.com"
    currency_rates_url: str = "https://api.nbrb.by/exrates"
    """NBRB's exchange-rate API; empty turns the scheduled refresh of currency rates off."""
    extra: Mapping[str, str] = field(default_factory=dict, repr=False)

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    @property
    def embedded(self) -> bool:
        """No Redis: background jobs run inside the API process."""
        return not self.redis_url

    @property
    def effective_secret_key(self) -> str:
        return self.secret_key or _DEV_SECRET

    @property
    def login_limits(self) -> tuple[tuple[int, int], tuple[int, int]]:
        """(per client address, per account), each (attempts, window in seconds)."""
        return (
            _attempts_per_window("LOGIN_LIMIT_PER_IP", self.login_limit_per_ip),
            _attempts_per_window("LOGIN_LIMIT_PER_ACCOUNT", self.login_limit_per_account),
        )

    @property
    def cors_origins(self) -> list[str]:
        return [o.strip().rstrip("/") for o in self.cors_allowed_origins.split(",") if o.strip()]

    def validate(self) -> Settings:
        if self.is_production and not self.secret_key:
            raise SettingsError("SECRET_KEY must be set when ENVIRONMENT=production.")
        if self.is_production and len(self.secret_key) < 32:
            raise SettingsError("SECRET_KEY must be at least 32 characters in production.")
        if any("*" in origin for origin in self.cors_origins):
            # credentials are allowed, so each origin must be named; a wildcard would hand a
            # signed-in browser session to any site
            raise SettingsError("CORS_ALLOWED_ORIGINS must name origins; wildcards are refused.")
        if self.max_request_body_bytes < 1:
            raise SettingsError("MAX_REQUEST_BODY_BYTES must be at least 1.")
        if self.database_pool_size < 1:
            raise SettingsError("DATABASE_POOL_SIZE must be at least 1.")
        self.login_limits  # noqa: B018 - parses both limits, failing early on a bad value
        for name in _POSITIVE:
            if getattr(self, name) < 1:
                raise SettingsError(f"{name.upper()} must be at least 1.")
        for name in _POSITIVE_SECONDS:
            if not 0 < getattr(self, name) < float("inf"):
                raise SettingsError(f"{name.upper()} must be a positive number of seconds.")
        return self


_POSITIVE = (
    "clickup_requests_per_minute",
    "huntflow_requests_per_second",
    "notion_requests_per_second",
    "transfer_lease_seconds",
    "bulk_import_stale_seconds",
    "bulk_import_busy_retry_seconds",
    "bulk_import_outage_give_up_seconds",
)
_POSITIVE_SECONDS = ("bulk_import_outage_retry_seconds", "outside_timeout_seconds")


def _attempts_per_window(name: str, raw: str) -> tuple[int, int]:
    attempts, _, seconds = raw.partition("/")
    try:
        parsed = int(attempts), int(seconds)
    except ValueError:
        parsed = (0, 0)
    if parsed[0] < 1 or parsed[1] < 1:
        raise SettingsError(f"{name} must read attempts/seconds, such as 30/300; got {raw!r}.")
    return parsed


def _read_env_file(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.removeprefix("export ").partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key.strip()] = value
    return values


def _convert(name: str, raw: str, kind: object) -> object:
    if kind is int:
        try:
            return int(raw)
        except ValueError as error:
            raise SettingsError(f"{name.upper()} must be a whole number, got {raw!r}.") from error
    if kind is float:
        try:
            return float(raw)
        except ValueError as error:
            raise SettingsError(f"{name.upper()} must be a number, got {raw!r}.") from error
    if kind is bool:
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    return raw


def load_settings(
    environ: Mapping[str, str] | None = None, env_file: str | Path | None = ".env"
) -> Settings:
    """Settings from ``environ`` (default: the process environment) over the ``.env`` file."""
    source = _read_env_file(Path(env_file)) if env_file else {}
    source.update(os.environ if environ is None else environ)
    hints = get_type_hints(Settings)
    values: dict[str, object] = {}
    for spec in fields(Settings):
        if spec.name == "extra":
            continue
        raw = source.get(spec.name.upper())
        if raw is not None:
            values[spec.name] = _convert(spec.name, raw, hints[spec.name])
    environment = values.get("environment", "development")
    if environment not in ("development", "production", "test"):
        raise SettingsError("ENVIRONMENT must be development, production or test.")
    log_format = values.get("log_format", "auto")
    if log_format not in ("auto", "json", "console"):
        raise SettingsError("LOG_FORMAT must be auto, json or console.")
    return Settings(**values).validate()  # type: ignore[arg-type]
