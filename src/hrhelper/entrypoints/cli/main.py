"""The ``hrhelper`` command: serve, worker, scheduler, migrate, createsuperuser."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import getpass
import os
import sys
import tempfile
from collections.abc import Sequence

import structlog

from hrhelper.adapters.persistence.sqlalchemy.migrate import upgrade
from hrhelper.container import close_container, create_container
from hrhelper.domain.errors import DomainError
from hrhelper.entrypoints.logging import configure_logging
from hrhelper.entrypoints.scheduler import default_schedule, run_schedule
from hrhelper.settings import Settings, SettingsError, load_settings

__all__ = ["main"]

_log = structlog.get_logger("hrhelper.cli")


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn  # imported here: only this command needs the server

    if args.workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # several processes: metrics are summed over files in a shared directory
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="hrhelper-metrics-")
    if args.workers > 1 and settings.embedded:
        _log.warning(
            "embedded_jobs_per_process",
            workers=args.workers,
            hint="set REDIS_URL to share one job queue between processes",
        )
    uvicorn.run(
        "hrhelper.entrypoints.http.asgi:asgi_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_config=None,  # structlog owns logging
        access_log=False,  # one line per request comes from our middleware
        proxy_headers=True,
        forwarded_allow_ips=args.forwarded_allow_ips,
        timeout_graceful_shutdown=20,
    )
    return 0


def _migrate(settings: Settings, _args: argparse.Namespace) -> int:
    upgrade(settings.database_url)
    _log.info("migrated", database=settings.database_url.split("@")[-1])
    return 0


def _worker(settings: Settings, args: argparse.Namespace) -> int:
    if settings.embedded:
        print(
            "REDIS_URL is not set: jobs run inside the API process (the embedded mode), "
            "so there is no separate worker to start.",
            file=sys.stderr,
        )
        return 2
    from hrhelper.entrypoints.worker.main import run_worker

    return run_worker(settings, threads=args.threads)


def _scheduler(settings: Settings, _args: argparse.Namespace) -> int:
    if settings.embedded:
        print(
            "REDIS_URL is not set: the API process runs the schedule itself (embedded mode).",
            file=sys.stderr,
        )
        return 2

    async def run() -> None:
        container = create_container(settings)
        try:
            _log.info("scheduler_started")
            ticks = default_schedule(currency_rates=bool(settings.currency_rates_url))
            await run_schedule(container.job_queue(), container.clock(), ticks)
        finally:
            await close_container(container)

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run())
    return 0


def _createsuperuser(settings: Settings, args: argparse.Namespace) -> int:
    email = args.email or os.environ.get("HRHELPER_SUPERUSER_EMAIL", "")
    password = args.password or os.environ.get("HRHELPER_SUPERUSER_PASSWORD", "")
    if not args.no_input:
        email = email or input("Email: ").strip()
        password = password or getpass.getpass("Password: ")
    if not email or not password:
        print(
            "createsuperuser needs --email and --password (or HRHELPER_SUPERUSER_EMAIL and "
            "HRHELPER_SUPERUSER_PASSWORD) with --no-input.",
            file=sys.stderr,
        )
        return 2

    async def create() -> int:
        container = create_container(settings)
        try:
            user = await container.user_service().create_superuser(email, password)
        except DomainError as error:
            details = "; ".join(
                f"{k}: {' '.join(map(str, v))}"
                for k, v in error.details.items()
                if isinstance(v, list)
            )
            print(f"{error.message} {details}".strip(), file=sys.stderr)
            return 1
        finally:
            await close_container(container)
        print(f"Admin {user.email} created (id {user.pk}).")
        return 0

    return asyncio.run(create())


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hrhelper", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="serve the HTTP API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1, help="server processes")
    serve.add_argument(
        "--forwarded-allow-ips",
        default="127.0.0.1",
        help="proxies whose X-Forwarded-* headers are trusted",
    )
    serve.set_defaults(run=_serve)

    worker = commands.add_parser("worker", help="run background jobs (needs REDIS_URL)")
    worker.add_argument("--threads", type=int, default=8, help="jobs run at once")
    worker.set_defaults(run=_worker)

    scheduler = commands.add_parser("scheduler", help="enqueue periodic jobs (needs REDIS_URL)")
    scheduler.set_defaults(run=_scheduler)

    migrate = commands.add_parser("migrate", help="apply database migrations")
    migrate.set_defaults(run=_migrate)

    superuser = commands.add_parser("createsuperuser", help="create an admin")
    superuser.add_argument("--email", default="")
    superuser.add_argument("--password", default="", help="or HRHELPER_SUPERUSER_PASSWORD")
    superuser.add_argument("--no-input", action="store_true", help="never prompt")
    superuser.set_defaults(run=_createsuperuser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return 2
    configure_logging(settings)
    code: int = args.run(settings, args)
    return code


if __name__ == "__main__":
    sys.exit(main())
