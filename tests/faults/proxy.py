"""A TCP proxy on loopback between the app and a server (PostgreSQL, Redis), to cut the line
during traffic and restore it, as a restart or a network fault would.

It runs its own asyncio loop in a thread, so the app under test (on the test client's loop)
sees real sockets being closed.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Iterator

__all__ = ["TcpProxy", "serve_proxy"]

_CHUNK = 64 * 1024


class TcpProxy:
    def __init__(self, host: str, port: int) -> None:
        self._target = (host, port)
        self._loop = asyncio.new_event_loop()
        self._writers: set[asyncio.StreamWriter] = set()
        self._down = False
        self._cut_on: bytes | None = None
        self.port = 0
        self.cuts = 0

    # -- control, from the test's thread --

    def cut(self) -> None:
        """Drop every open connection; new ones are closed at once until ``restore``."""
        asyncio.run_coroutine_threadsafe(self._cut(), self._loop).result(5)

    def restore(self) -> None:
        self._down = False
        self._cut_on = None

    def cut_when_sent(self, marker: bytes) -> None:
        """Cut the line the moment a client sends ``marker`` (before the server gets it)."""
        self._cut_on = marker

    # -- the proxy --

    async def _cut(self) -> None:
        self._down = True
        self.cuts += 1
        for writer in list(self._writers):
            writer.transport.abort()  # a reset, as when the server's process dies
        self._writers.clear()

    async def _pipe(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, watch: bool
    ) -> None:
        with contextlib.suppress(OSError, asyncio.CancelledError):
            while data := await reader.read(_CHUNK):
                if watch and self._cut_on is not None and self._cut_on in data:
                    await self._cut()
                    return
                writer.write(data)
                await writer.drain()
        writer.transport.abort()

    async def _handle(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        if self._down:
            client_w.transport.abort()
            return
        try:
            server_r, server_w = await asyncio.open_connection(*self._target)
        except OSError:
            client_w.transport.abort()
            return
        self._writers.update((client_w, server_w))
        await asyncio.gather(
            self._pipe(client_r, server_w, watch=True), self._pipe(server_r, client_w, watch=False)
        )
        self._writers.discard(client_w)
        self._writers.discard(server_w)

    def _run(self, started: threading.Event, stop: asyncio.Event) -> None:
        asyncio.set_event_loop(self._loop)

        async def main() -> None:
            server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
            self.port = server.sockets[0].getsockname()[1]
            started.set()
            async with server:
                await stop.wait()
                await self._cut()

        self._loop.run_until_complete(main())

    @contextlib.contextmanager
    def running(self) -> Iterator[TcpProxy]:
        started = threading.Event()
        stop = asyncio.Event()
        thread = threading.Thread(target=self._run, args=(started, stop), daemon=True)
        thread.start()
        started.wait(5)
        try:
            yield self
        finally:
            self._loop.call_soon_threadsafe(stop.set)
            thread.join(5)
            self._loop.close()


@contextlib.contextmanager
def serve_proxy(host: str, port: int) -> Iterator[TcpProxy]:
    with TcpProxy(host, port).running() as proxy:
        yield proxy
