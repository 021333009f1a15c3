from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import BinaryIO

from hrhelper.ports.security import FileStorage, StoredFile

__all__ = ["LocalFileStorage"]

_CHUNK = 64 * 1024


class LocalFileStorage(FileStorage):
    """Files under one directory; keys are relative paths made by the domain."""

    def __init__(self, root: str, public_base_url: str) -> None:
        self._root = Path(root).resolve()
        self._base = public_base_url.rstrip("/")

    def _path(self, key: str) -> Path:
        path = (self._root / key).resolve()
        if self._root not in path.parents:
            raise ValueError("file key escapes the storage directory")
        return path

    async def save(self, key: str, content: bytes, content_type: str) -> None:
        path = self._path(key)
        await asyncio.to_thread(self._write, path, content)

    @staticmethod
    def _write(path: Path, content: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(path.suffix + ".part")
        temporary.write_bytes(content)
        temporary.replace(path)

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._path(key).unlink, missing_ok=True)

    async def open(self, key: str) -> StoredFile | None:
        try:
            handle, size = await asyncio.to_thread(self._open, self._path(key))
        except (ValueError, FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return None
        return StoredFile(size, self._chunks(handle))

    @staticmethod
    def _open(path: Path) -> tuple[BinaryIO, int]:
        handle = path.open("rb")
        try:
            return handle, os.fstat(handle.fileno()).st_size
        except BaseException:
            handle.close()
            raise

    @staticmethod
    async def _chunks(handle: BinaryIO) -> AsyncIterator[bytes]:
        """Reads in a worker thread, one chunk at a time; the file closes when done."""
        try:
            while chunk := await asyncio.to_thread(handle.read, _CHUNK):
                yield chunk
        finally:
            handle.close()

    def url_for(self, key: str) -> str:
        return f"{self._base}/{key}"
