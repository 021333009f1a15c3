"""HttpAttachmentFetcher against a file server on loopback (stdlib http.server)."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from hrhelper.adapters.files.http_fetcher import HttpAttachmentFetcher
from hrhelper.domain.errors import InvalidInput, OutsideServiceError, OutsideServiceUnavailable
from hrhelper.domain.recruiting.card import Attachment

PDF = b"%PDF-1.4 " + b"x" * 5000


class _Files(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/moved.pdf":
            self.send_response(302)
            self.send_header("Location", "/cv.pdf?signature=secret")
            self.end_headers()
            return
        if self.path.startswith("/cv.pdf"):
            self.send_response(200)
            self.send_header("Content-Length", str(len(PDF)))
            self.end_headers()
            self.wfile.write(PDF)
            return
        self.send_response(403)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def files_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Files)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


async def test_downloads_following_redirects(files_url: str, http: httpx.AsyncClient) -> None:
    sut = HttpAttachmentFetcher(http)
    assert await sut.fetch(Attachment("cv.pdf", files_url + "/moved.pdf")) == PDF


async def test_refusals_and_oversized_files_are_clear_errors_without_the_url(
    files_url: str, http: httpx.AsyncClient
) -> None:
    # a refused link is this attachment's failure, not an outage to wait out
    with pytest.raises(OutsideServiceError) as refused:
        await HttpAttachmentFetcher(http).fetch(
            Attachment("cv.pdf", files_url + "/expired?sig=s3cr3t")
        )
    assert refused.value.details == {"status": 403}
    assert "s3cr3t" not in refused.value.message
    with pytest.raises(InvalidInput, match="larger than"):
        await HttpAttachmentFetcher(http, max_bytes=1000).fetch(
            Attachment("cv.pdf", files_url + "/cv.pdf")
        )
    # an unreachable host is an outage
    with pytest.raises(OutsideServiceUnavailable, match="could not be downloaded"):
        await HttpAttachmentFetcher(http).fetch(Attachment("cv.pdf", "http://127.0.0.1:9/cv.pdf"))
