"""The local-directory FileStorage: save, stream back in chunks, delete, stay inside its root."""

from __future__ import annotations

import asyncio
from pathlib import Path

from hrhelper.adapters.files.local import LocalFileStorage

CONTENT = bytes(range(256)) * 1_000  # 256 000 bytes: several 64 KiB chunks


async def read_all(sut: LocalFileStorage, key: str) -> tuple[int, list[bytes]] | None:
    stored = await sut.open(key)
    if stored is None:
        return None
    return stored.size, [chunk async for chunk in stored.chunks]


async def test_a_saved_file_streams_back_in_chunks_until_deleted(tmp_path: Path) -> None:
    sut = LocalFileStorage(str(tmp_path), "https://hr.example.com/media/")
    await sut.save("resumes/1/cv.pdf", CONTENT, "application/pdf")
    found = await read_all(sut, "resumes/1/cv.pdf")
    assert found is not None
    size, chunks = found
    assert (size, b"".join(chunks)) == (len(CONTENT), CONTENT)
    assert len(chunks) == 4
    assert not [
        p for p in await asyncio.to_thread(lambda: list(tmp_path.rglob("*"))) if p.suffix == ".part"
    ]
    assert sut.url_for("resumes/1/cv.pdf") == "https://hr.example.com/media/resumes/1/cv.pdf"
    await sut.delete("resumes/1/cv.pdf")
    assert await sut.open("resumes/1/cv.pdf") is None


async def test_missing_files_directories_and_escaping_keys_open_nothing(tmp_path: Path) -> None:
    root = tmp_path / "media"
    (tmp_path / "secret.txt").write_bytes(b"secret")
    sut = LocalFileStorage(str(root), "https://hr.example.com/media")
    await sut.save("resumes/1/cv.pdf", CONTENT, "application/pdf")
    for key in ("resumes/1/none.pdf", "resumes/1", "resumes/1/cv.pdf/x", "../secret.txt"):
        assert await sut.open(key) is None, key
