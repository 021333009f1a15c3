"""``hrhelper worker`` as a real subprocess, with its JSON log lines readable by the test."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import fields
from pathlib import Path
from typing import IO, Any, TypeVar

from hrhelper.settings import Settings

__all__ = ["WorkerProcess", "eventually", "hrhelper_command", "process_environment"]

T = TypeVar("T")

_SETTING_NAMES = {spec.name.upper() for spec in fields(Settings)}


def process_environment(settings_env: Mapping[str, str]) -> dict[str, str]:
    """This process's environment without any hrhelper setting, plus ``settings_env``."""
    base = {k: v for k, v in os.environ.items() if k.upper() not in _SETTING_NAMES}
    return {**base, "PYTHONUNBUFFERED": "1", **settings_env}


def hrhelper_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "hrhelper.entrypoints.cli.main", *args]


class WorkerProcess:
    """A running ``hrhelper worker --threads N``; its stdout and stderr go to ``log_path``."""

    def __init__(self, process: subprocess.Popen[bytes], log_path: Path, log: IO[bytes]) -> None:
        self.process = process
        self.log_path = log_path
        self._log = log

    @classmethod
    def start(
        cls, settings_env: Mapping[str, str], workdir: Path, *, threads: int = 2
    ) -> WorkerProcess:
        log_path = workdir / f"worker-{time.monotonic_ns()}.log"
        log = log_path.open("wb")
        process = subprocess.Popen(
            hrhelper_command("worker", "--threads", str(threads)),
            env=process_environment(settings_env),
            cwd=workdir,  # no stray .env file is read
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        return cls(process, log_path, log)

    def output(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def events(self, event: str | None = None, **fields: object) -> list[dict[str, Any]]:
        """The JSON log lines written so far, filtered by ``event`` and field values."""
        found = []
        for line in self.output().splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if not isinstance(entry, dict) or (event is not None and entry.get("event") != event):
                continue
            if all(entry.get(name) == value for name, value in fields.items()):
                found.append(entry)
        return found

    def stop(self, timeout: float = 10.0) -> int:
        """SIGTERM, then wait for the exit code (raises TimeoutExpired if it hangs)."""
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=timeout)

    def kill(self) -> None:
        """Make sure the process is gone; safe to call more than once."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)
        self._log.close()


async def eventually(
    probe: Callable[[], Awaitable[T | None]],
    what: str,
    *,
    within: float = 15.0,
    worker: WorkerProcess | None = None,
) -> T:
    """Poll ``probe`` until it returns something other than None, or fail after ``within`` seconds.

    Fails at once, with the worker's output, if the worker process has ended."""
    deadline = time.monotonic() + within
    while True:
        value = await probe()
        if value is not None:
            return value
        if worker is not None and worker.process.poll() is not None:
            raise AssertionError(f"the worker exited while waiting for {what}:\n{worker.output()}")
        if time.monotonic() > deadline:
            output = worker.output() if worker is not None else ""
            raise AssertionError(f"timed out after {within}s waiting for {what}\n{output}")
        await asyncio.sleep(0.05)
