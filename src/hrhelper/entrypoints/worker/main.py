"""``hrhelper worker``: run the jobs' actors until SIGTERM or SIGINT, then stop gracefully."""

from __future__ import annotations

import signal
import sys
import threading
from types import FrameType

import dramatiq
import structlog
from dramatiq.middleware import AsyncIO

from hrhelper.container import create_container
from hrhelper.entrypoints.worker.actors import declare_actors
from hrhelper.entrypoints.worker.lifecycle import ContainerLifecycle
from hrhelper.settings import Settings

__all__ = ["run_worker"]

_log = structlog.get_logger("hrhelper.worker")

_STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
_STOP_TIMEOUT_MS = 30_000
"""How long running jobs get to finish after a stop signal. A job cut off later is safe: its
message goes back to the queue (dramatiq) and its work is claimed with a lease (the outbox)."""


def run_worker(settings: Settings, threads: int) -> int:
    """Consume the job queues of ``settings`` until a stop signal; returns the exit code.

    Must run on the main thread (it installs signal handlers). A second signal while stopping
    falls back to the default handler, so it ends the process at once.
    """
    if threads < 1:
        print("--threads must be at least 1.", file=sys.stderr)
        return 2
    container = create_container(settings)
    broker: dramatiq.Broker = container.broker()
    actors = declare_actors(broker, container)
    broker.add_middleware(ContainerLifecycle(container), after=AsyncIO)

    stop = threading.Event()

    def request_stop(signum: int, _frame: FrameType | None) -> None:
        _log.info("worker_stop_requested", signal=signal.Signals(signum).name)
        stop.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in _STOP_SIGNALS}
    worker = dramatiq.Worker(broker, worker_threads=threads)
    worker.start()
    _log.info(
        "worker_started",
        threads=threads,
        jobs=sorted(actors),
        namespace=settings.dramatiq_namespace,
    )
    try:
        stop.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        worker.stop(timeout=_STOP_TIMEOUT_MS)
    _log.info("worker_stopped")
    return 0
