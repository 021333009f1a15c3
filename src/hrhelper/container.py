"""The composition root: the one place where ports meet adapters.

HTTP, the worker, the scheduler and the CLI all build this container from settings. Adapters
get primitives, never the settings object. Engine, Redis and HTTP clients are created lazily
(no I/O at construction) and closed by ``close_container``.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

import httpx
from dependency_injector import containers, providers
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import async_sessionmaker

from hrhelper.adapters.cache import BestEffortCache, MemoryCache, RedisCache
from hrhelper.adapters.clickup.limiter import local_limiter, shared_limiter
from hrhelper.adapters.clickup.sources import ClickUpSources
from hrhelper.adapters.files.http_fetcher import HttpAttachmentFetcher
from hrhelper.adapters.files.local import LocalFileStorage
from hrhelper.adapters.gemini.client import GeminiChatModel
from hrhelper.adapters.google.access import RefreshingAccess
from hrhelper.adapters.google.id_tokens import GoogleIdTokenVerifier
from hrhelper.adapters.google.oauth import GoogleOAuthClient
from hrhelper.adapters.google.workspace import GoogleWorkspaceClient
from hrhelper.adapters.huntflow.connector import HuntflowConnector
from hrhelper.adapters.huntflow.limiter import RedisRequestLimiter, TokenBucketLimiter
from hrhelper.adapters.huntflow.tokens import LocalRefreshLocks, RedisRefreshLocks
from hrhelper.adapters.mail import LoggingMailer, SmtpMailer
from hrhelper.adapters.nbrb import NbrbRateSource
from hrhelper.adapters.notion.connector import NotionConnector, notion_limiter
from hrhelper.adapters.persistence.sqlalchemy import SqlUnitOfWork, create_engine
from hrhelper.adapters.persistence.sqlalchemy.bulk_imports import SqlBulkImportStore
from hrhelper.adapters.persistence.sqlalchemy.identity import SqlPrincipalDirectory
from hrhelper.adapters.persistence.sqlalchemy.transfers import SqlTransferLedger
from hrhelper.adapters.queue.dramatiq_queue import DramatiqJobQueue, create_redis_broker
from hrhelper.adapters.queue.inprocess import InProcessJobQueue
from hrhelper.adapters.security.argon2_hasher import Argon2PasswordHasher
from hrhelper.adapters.security.blocking import BlockingPool
from hrhelper.adapters.security.jwt_signer import JwtSigner
from hrhelper.adapters.security.rate_limiter import FixedWindowRateLimiter
from hrhelper.adapters.security.secret_box import AesGcmSecretBox
from hrhelper.adapters.system.clock import SystemClock
from hrhelper.adapters.system.health import CacheProbe, DatabaseProbe, DisabledProbe, RedisProbe
from hrhelper.adapters.telegram.client import TelegramBot
from hrhelper.adapters.telegram.pacing import SendPacer, SharedSendPacer
from hrhelper.domain.ai.chat import ChatService
from hrhelper.domain.ats.refresh import TokenRefresher
from hrhelper.domain.ats.service import HuntflowService
from hrhelper.domain.finance.rates import RateService
from hrhelper.domain.google.service import GoogleService
from hrhelper.domain.google.state import ConnectStates
from hrhelper.domain.google.sync import AccessFactory, GoogleSync
from hrhelper.domain.identity.auth import AuthService, Limits
from hrhelper.domain.identity.hr import HrService
from hrhelper.domain.identity.mails import LinkBuilder
from hrhelper.domain.identity.one_time import LinkPurpose, OneTimeLinks
from hrhelper.domain.identity.profiles import ProfileService
from hrhelper.domain.identity.tokens import TokenService
from hrhelper.domain.identity.users import UserService
from hrhelper.domain.interviewers.service import InterviewerService
from hrhelper.domain.mail.delivery import MailDelivery
from hrhelper.domain.mail.outbox import MailOutbox
from hrhelper.domain.messaging.telegram import TelegramService
from hrhelper.domain.recruiting.bulk_import import BulkImportService
from hrhelper.domain.recruiting.bulk_import_run import ImportRunner, Pacing
from hrhelper.domain.recruiting.clickup_import import ClickUpCards
from hrhelper.domain.recruiting.clickup_sync import ClickUpService
from hrhelper.domain.recruiting.notion_access import NotionAccess
from hrhelper.domain.recruiting.notion_import import NotionPages
from hrhelper.domain.recruiting.notion_service import NotionService
from hrhelper.domain.recruiting.notion_sync import NotionSync
from hrhelper.domain.recruiting.transfer import TransferService
from hrhelper.domain.vacancies.counts_cache import CountsCache
from hrhelper.domain.vacancies.grades import GradeService
from hrhelper.domain.vacancies.vacancies import VacancyService
from hrhelper.ports.clock import Clock
from hrhelper.ports.google import GoogleOAuth
from hrhelper.settings import Settings

__all__ = ["Container", "close_container", "create_container"]


def _mode(settings: Settings) -> str:
    return "embedded" if settings.embedded else "redis"


_LINK_LIFETIMES = {
    LinkPurpose.VERIFY_EMAIL: timedelta(days=3),
    LinkPurpose.SET_PASSWORD: timedelta(days=3),
    LinkPurpose.RESET_PASSWORD: timedelta(hours=2),
}


def _stamp_key(secret_key: str) -> bytes:
    """A key of its own for the credential stamps in access tokens, derived from SECRET_KEY."""
    return hashlib.sha256(b"hrhelper access-token stamp\x00" + secret_key.encode()).digest()


def _login_limits(settings: Settings) -> Limits:
    per_ip, per_account = settings.login_limits
    return Limits(login_per_ip=per_ip, login_per_account=per_account)


def _outside_client() -> httpx.AsyncClient:
    """One pooled client for small calls to outside services (Google keys, ...)."""
    return httpx.AsyncClient(
        timeout=httpx.Timeout(10.0, connect=5.0),
        headers={"User-Agent": "hrhelper/0.1 (+https://github.com/hrhelper)"},
        follow_redirects=False,
    )


GOOGLE_CALLBACK_PATH = "/api/v1/google-oauth/callback/"


def _google_redirect_uri(settings: Settings) -> str:
    """Google sends the browser back here after consent. There is no setting for it: it is
    PUBLIC_URL plus the callback path, and must be registered as an authorized redirect URI
    of the OAuth client (GOOGLE_CLIENT_ID) in the Google Cloud console."""
    return settings.public_url.rstrip("/") + GOOGLE_CALLBACK_PATH


def _outside_client_options(settings: Settings) -> dict[str, Any]:
    """What the Huntflow, ClickUp and Notion clients take from the settings."""
    return {"read_timeout_s": settings.outside_timeout_seconds}


def _pacing(settings: Settings) -> Pacing:
    outage_retry_s = settings.bulk_import_outage_retry_seconds
    return Pacing(
        outage_retry_s=outage_retry_s,
        outage_max_retry_s=12 * outage_retry_s,
        outage_give_up=timedelta(seconds=settings.bulk_import_outage_give_up_seconds),
        stale_after=timedelta(seconds=settings.bulk_import_stale_seconds),
        busy_retry_s=float(settings.bulk_import_busy_retry_seconds),
        busy_attempts=max(
            2,
            settings.transfer_lease_seconds // max(1, settings.bulk_import_busy_retry_seconds) + 2,
        ),
    )


def _google_access(oauth: GoogleOAuth, clock: Clock) -> AccessFactory:
    def make(tokens: Any, on_refresh: Any) -> RefreshingAccess:
        return RefreshingAccess(oauth, tokens, on_refresh=on_refresh, clock=clock.now)

    return make


class Container(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=Settings)
    mode = providers.Callable(_mode, settings)

    clock = providers.Singleton(SystemClock)

    # persistence
    engine = providers.Singleton(
        create_engine,
        url=settings.provided.database_url,
        pool_size=settings.provided.database_pool_size,
    )
    session_factory = providers.Singleton(async_sessionmaker, engine, expire_on_commit=False)
    uow = providers.Factory(SqlUnitOfWork, session_factory=session_factory)

    # redis, cache, jobs
    redis = providers.Singleton(
        Redis.from_url,
        settings.provided.redis_url,
        socket_timeout=3,
        socket_connect_timeout=3,
        health_check_interval=30,
    )
    cache = providers.Selector(
        mode,
        embedded=providers.Singleton(MemoryCache),
        redis=providers.Singleton(RedisCache, redis),
    )
    broker = providers.Singleton(
        create_redis_broker, settings.provided.redis_url, settings.provided.dramatiq_namespace
    )
    job_queue = providers.Selector(
        mode,
        embedded=providers.Singleton(
            InProcessJobQueue,
            min_backoff_ms=settings.provided.job_min_backoff_ms,
            max_backoff_ms=settings.provided.job_max_backoff_ms,
        ),
        redis=providers.Singleton(DramatiqJobQueue, broker),
    )

    # health
    database_probe = providers.Singleton(DatabaseProbe, engine)
    redis_probe = providers.Selector(
        mode,
        embedded=providers.Singleton(DisabledProbe),
        redis=providers.Singleton(RedisProbe, redis),
    )
    cache_probe = providers.Singleton(CacheProbe, cache)

    # mail
    mailer = providers.Selector(
        providers.Callable(lambda s: "smtp" if s.smtp_url else "log", settings),
        smtp=providers.Singleton(SmtpMailer, settings.provided.smtp_url),
        log=providers.Singleton(LoggingMailer),
    )
    mail_outbox = providers.Factory(MailOutbox, jobs=job_queue, clock=clock)

    # security
    blocking_pool = providers.Singleton(
        BlockingPool,
        "argon2",
        workers=settings.provided.password_hash_threads,
        queue_timeout_s=5.0,
    )
    password_hasher = providers.Singleton(Argon2PasswordHasher, blocking_pool)
    parsing_pool = providers.Singleton(BlockingPool, "parsing", workers=2, queue_timeout_s=5.0)
    token_signer = providers.Singleton(JwtSigner, settings.provided.effective_secret_key)
    secret_box = providers.Singleton(
        AesGcmSecretBox,
        providers.Callable(lambda s: s.encryption_key or s.effective_secret_key, settings),
    )
    rate_limiter = providers.Singleton(FixedWindowRateLimiter, cache)
    outside_http = providers.Singleton(_outside_client)
    google_verifier = providers.Singleton(
        GoogleIdTokenVerifier,
        outside_http,
        settings.provided.google_certs_url,
        settings.provided.google_client_id,
    )
    file_storage = providers.Singleton(
        LocalFileStorage,
        settings.provided.media_root,
        providers.Callable(lambda s: s.public_url.rstrip("/") + "/media", settings),
    )

    # identity
    one_time_links = providers.Singleton(
        OneTimeLinks, settings.provided.effective_secret_key, _LINK_LIFETIMES
    )
    link_builder = providers.Singleton(LinkBuilder, settings.provided.public_url)
    token_service = providers.Singleton(
        TokenService,
        token_signer,
        stamp_key=providers.Callable(_stamp_key, settings.provided.effective_secret_key),
    )
    auth_service = providers.Factory(
        AuthService,
        uow_factory=uow.provider,
        hasher=password_hasher,
        tokens=token_service,
        links=one_time_links,
        link_builder=link_builder,
        outbox=mail_outbox,
        limiter=rate_limiter,
        clock=clock,
        google=google_verifier,
        principals=providers.Singleton(SqlPrincipalDirectory, engine),
        limits=providers.Callable(_login_limits, settings),
    )
    hr_service = providers.Factory(
        HrService,
        uow_factory=uow.provider,
        links=one_time_links,
        link_builder=link_builder,
        outbox=mail_outbox,
        clock=clock,
    )
    user_service = providers.Factory(
        UserService, uow_factory=uow.provider, hasher=password_hasher, box=secret_box, clock=clock
    )
    profile_service = providers.Factory(
        ProfileService,
        uow_factory=uow.provider,
        files=file_storage,
        clock=clock,
        runner=parsing_pool,
    )

    # the HR core
    grade_service = providers.Factory(GradeService, uow_factory=uow.provider, clock=clock)
    vacancy_counts = providers.Singleton(CountsCache, providers.Singleton(BestEffortCache, cache))
    vacancy_service = providers.Factory(
        VacancyService, uow_factory=uow.provider, clock=clock, counts=vacancy_counts
    )
    interviewer_service = providers.Factory(
        InterviewerService, uow_factory=uow.provider, clock=clock
    )

    # finance: official currency rates (NBRB)
    rate_source = providers.Singleton(
        NbrbRateSource, outside_http, settings.provided.currency_rates_url
    )
    rate_service = providers.Factory(
        RateService, uow_factory=uow.provider, source=rate_source, clock=clock
    )

    # AI: the Gemini chat, each user with their own key
    chat_model = providers.Singleton(
        GeminiChatModel,
        outside_http,
        settings.provided.gemini_api_url,
        model=settings.provided.gemini_model,
    )
    chat_service = providers.Factory(
        ChatService, uow_factory=uow.provider, model=chat_model, box=secret_box, clock=clock
    )

    # messaging: Telegram through the bot
    telegram_pacer = providers.Selector(
        mode,
        embedded=providers.Singleton(SendPacer),
        redis=providers.Singleton(SharedSendPacer, redis),
    )
    messenger = providers.Singleton(
        TelegramBot,
        outside_http,
        settings.provided.telegram_api_url,
        settings.provided.telegram_bot_token,
        pacer=telegram_pacer,
    )
    telegram_service = providers.Factory(
        TelegramService,
        uow_factory=uow.provider,
        messenger=messenger,
        jobs=job_queue,
        clock=clock,
        configured=providers.Callable(lambda s: bool(s.telegram_bot_token), settings),
    )

    # ClickUp: a client per user token; the limiter is shared by the workers through Redis
    clickup_limiter = providers.Selector(
        mode,
        embedded=providers.Singleton(local_limiter, settings.provided.clickup_requests_per_minute),
        redis=providers.Singleton(
            shared_limiter, redis, settings.provided.clickup_requests_per_minute
        ),
    )
    outside_client_options = providers.Callable(_outside_client_options, settings)
    clickup_sources = providers.Singleton(
        ClickUpSources,
        outside_http,
        settings.provided.clickup_api_url,
        clickup_limiter,
        client_options=outside_client_options,
    )
    clickup_service = providers.Factory(
        ClickUpService,
        uow_factory=uow.provider,
        sources=clickup_sources,
        box=secret_box,
        jobs=job_queue,
        clock=clock,
    )

    mail_delivery = providers.Factory(
        MailDelivery,
        uow_factory=uow.provider,
        mailer=mailer,
        clock=clock,
        jobs=job_queue,
        sender=settings.provided.email_from,
        lease=timedelta(minutes=5),
    )

    # Huntflow: pacing and refresh locks shared by all workers in the redis mode
    huntflow_limiter = providers.Selector(
        mode,
        embedded=providers.Singleton(
            TokenBucketLimiter, settings.provided.huntflow_requests_per_second
        ),
        redis=providers.Singleton(
            RedisRequestLimiter, redis, settings.provided.huntflow_requests_per_second
        ),
    )
    huntflow_locks = providers.Selector(
        mode,
        embedded=providers.Singleton(LocalRefreshLocks),
        redis=providers.Singleton(RedisRefreshLocks, redis),
    )
    ats_connector = providers.Singleton(
        HuntflowConnector,
        http=outside_http,
        uow_factory=uow.provider,
        box=secret_box,
        clock=clock,
        limiter=huntflow_limiter,
        locks=huntflow_locks,
        prod_url=settings.provided.huntflow_api_url,
        sandbox_url=settings.provided.huntflow_sandbox_api_url,
        user_agent=settings.provided.huntflow_user_agent,
        allowed_hosts=providers.Callable(str.split, settings.provided.huntflow_allowed_hosts, ","),
        client_options=outside_client_options,
    )
    huntflow_service = providers.Factory(HuntflowService, connector=ats_connector)
    huntflow_token_refresher = providers.Factory(
        TokenRefresher, uow_factory=uow.provider, connector=ats_connector, clock=clock
    )

    # candidate transfer into Huntflow (called by the ClickUp and Notion integrations)
    transfer_ledger = providers.Singleton(SqlTransferLedger, engine)
    attachment_fetcher = providers.Singleton(HttpAttachmentFetcher, outside_http)
    transfer_service = providers.Factory(
        TransferService,
        connector=ats_connector,
        ledger=transfer_ledger,
        files=attachment_fetcher,
        clock=clock,
        lease=providers.Callable(lambda s: timedelta(seconds=s.transfer_lease_seconds), settings),
    )

    # Notion: a client per user token, paced per token (through Redis between workers)
    notion_limiter = providers.Selector(
        mode,
        embedded=providers.Singleton(
            notion_limiter, None, per_second=settings.provided.notion_requests_per_second
        ),
        redis=providers.Singleton(
            notion_limiter, redis, per_second=settings.provided.notion_requests_per_second
        ),
    )
    notion_sources = providers.Singleton(
        NotionConnector,
        outside_http,
        settings.provided.notion_api_url,
        notion_limiter,
        version=settings.provided.notion_version,
        client_options=outside_client_options,
    )
    notion_access = providers.Factory(
        NotionAccess, uow_factory=uow.provider, sources=notion_sources, box=secret_box
    )
    notion_service = providers.Factory(
        NotionService,
        uow_factory=uow.provider,
        access=notion_access,
        transfers=transfer_service,
        jobs=job_queue,
        clock=clock,
    )
    notion_sync = providers.Factory(
        NotionSync, uow_factory=uow.provider, access=notion_access, clock=clock
    )

    # bulk imports: one engine for every card source
    notion_pages = providers.Factory(NotionPages, notion=notion_service, access=notion_access)
    clickup_cards = providers.Factory(
        ClickUpCards, clickup=clickup_service, uow_factory=uow.provider, transfers=transfer_service
    )
    bulk_import_store = providers.Singleton(SqlBulkImportStore, engine)
    import_pacing = providers.Callable(_pacing, settings)
    import_runner = providers.Factory(
        ImportRunner,
        store=bulk_import_store,
        sources=providers.Dict(clickup=clickup_cards, notion=notion_pages),
        ledger=transfer_ledger,
        transfers=transfer_service,
        clock=clock,
        sleeper=clock,
        pacing=import_pacing,
    )
    bulk_import_service = providers.Factory(
        BulkImportService,
        store=bulk_import_store,
        sources=providers.List(clickup_cards, notion_pages),
        connector=ats_connector,
        runner=import_runner,
        jobs=job_queue,
        clock=clock,
        pacing=import_pacing,
    )

    # Google: connected accounts, Calendar and Drive
    google_oauth = providers.Singleton(
        GoogleOAuthClient,
        outside_http,
        auth_url=settings.provided.google_auth_url,
        token_url=settings.provided.google_oauth_url,
        client_id=settings.provided.google_client_id,
        client_secret=settings.provided.google_client_secret,
        clock=clock.provided.now,
    )
    google_workspace = providers.Singleton(
        GoogleWorkspaceClient, outside_http, settings.provided.google_api_url
    )
    google_service = providers.Factory(
        GoogleService,
        uow_factory=uow.provider,
        oauth=google_oauth,
        box=secret_box,
        jobs=job_queue,
        clock=clock,
        states=providers.Singleton(ConnectStates, settings.provided.effective_secret_key),
        redirect_uri=providers.Callable(_google_redirect_uri, settings),
    )
    google_sync = providers.Factory(
        GoogleSync,
        uow_factory=uow.provider,
        workspace=google_workspace,
        access=providers.Callable(_google_access, google_oauth, clock),
        box=secret_box,
        clock=clock,
    )


def create_container(settings: Settings, **overrides: Any) -> Container:
    """Build the container; ``overrides`` replace providers by name (tests swap adapters)."""
    container = Container(settings=settings)
    for name, value in overrides.items():
        getattr(container, name).override(providers.Object(value))
    return container


async def close_container(container: Container) -> None:
    """Release what the container opened: queued in-process jobs, Redis, the engine pool.

    Creating any of these does no I/O, so asking for one that was never used is harmless."""
    settings: Settings = container.settings()
    queue = container.job_queue()
    if isinstance(queue, InProcessJobQueue):
        await queue.aclose()
    if not settings.embedded:
        await container.redis().aclose()
        container.broker().close()
    await container.outside_http().aclose()
    container.blocking_pool().shutdown()
    container.parsing_pool().shutdown()
    await container.engine().dispose()
