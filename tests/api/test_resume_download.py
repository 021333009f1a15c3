"""The resume URL a profile answers is served, on PostgreSQL, to its owner, HR and admins."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from hrhelper.settings import Settings
from tests.http.conftest import PASSWORD, Http, open_http

PDF = b"%PDF-1.4\n" + b"1 0 obj <<>> endobj\n" * 5_000 + b"%%EOF\n"  # spans several chunks
RTF = b"{\\rtf1\\ansi \\u1048? Ivan Ivanov}"


@pytest.fixture
async def api(
    make_settings: Callable[..., Settings],
    postgres_url: str,
    postgres_engine: AsyncEngine,  # empties the database after the test
    tmp_path: Path,
) -> AsyncIterator[Http]:
    settings = make_settings(
        DATABASE_URL=postgres_url,
        PUBLIC_URL="https://hr.example.com",
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    async for value in open_http(settings):
        yield value


async def upload(api: Http, role: str, filename: str, content: bytes) -> str:
    """Upload a resume as ``role``; the URL the profile answers."""
    headers = api.auth(role)
    profile = await api.client.get("/api/auth/profile/", headers=headers)
    assert profile.status_code == 200, profile.text
    response = await api.client.patch(
        f"/api/auth/profile/{profile.json()['id']}/",
        files={"resume": (filename, content, "application/octet-stream")},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    return str(response.json()["resume"])


async def register_candidate(api: Http, email: str) -> dict[str, str]:
    response = await api.client.post(
        "/api/auth/register/",
        json={"email": email, "password": PASSWORD, "password_confirm": PASSWORD},
    )
    assert response.status_code == 201, response.text
    api.client.cookies.clear()
    return {"Authorization": f"Bearer {response.json()['tokens']['access']}"}


async def test_the_owner_hr_and_admin_download_the_resume_others_get_404(
    api: Http, tmp_path: Path
) -> None:
    # Given a candidate uploaded a resume (with a name in Cyrillic)
    url = await upload(api, "user", "Резюме Ивана.pdf", PDF)
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc) == ("https", "hr.example.com")
    assert parts.path.startswith("/media/resumes/")
    # When the owner, HR and an admin follow the URL
    for role in ("user", "hr", "admin"):
        response = await api.client.get(parts.path, headers=api.auth(role))
        # Then each gets the file, as a download, with its type and length
        assert response.status_code == 200, (role, response.text)
        assert response.content == PDF
        assert response.headers["content-type"] == "application/pdf"
        assert response.headers["content-length"] == str(len(PDF))
        disposition = response.headers["content-disposition"]
        assert disposition.startswith("attachment;")
        assert "filename*=UTF-8''%D0%A0%D0%B5%D0%B7" in disposition
    # Another candidate gets a 404 in the error format, an anonymous caller a 401
    stranger = await register_candidate(api, "stranger@example.com")
    response = await api.client.get(parts.path, headers=stranger)
    assert response.status_code == 404
    assert response.json() == {"error": "NotFound", "message": "Resume not found.", "details": {}}
    assert (await api.client.get(parts.path)).status_code == 401
    # and the file is where MEDIA_ROOT says, not under the web root
    assert (tmp_path / "media" / parts.path.removeprefix("/media/")).read_bytes() == PDF


async def test_a_replaced_resume_and_made_up_keys_are_not_found(api: Http) -> None:
    old = urlsplit(await upload(api, "user", "cv.pdf", PDF)).path
    # When the candidate uploads a new resume
    new = urlsplit(await upload(api, "user", "cv.rtf", RTF)).path
    # Then the new URL serves it and the old one is gone, for the admin too
    response = await api.client.get(new, headers=api.auth("admin"))
    assert (response.status_code, response.content) == (200, RTF)
    assert response.headers["content-type"].startswith("application/rtf")
    assert (await api.client.get(old, headers=api.auth("admin"))).status_code == 404
    owner = new.split("/")[3]
    for path in (
        f"/media/resumes/{owner}/{'0' * 32}.pdf",
        f"/media/resumes/{owner}/../../../etc/passwd",
        f"/media/resumes/{owner}/%2e%2e/%2e%2e/secret.txt",
        "/media/resumes/999999/" + new.rsplit("/", 1)[1],
        "/media/other/file.txt",
    ):
        response = await api.client.get(path, headers=api.auth("admin"))
        assert response.status_code == 404, path
        assert response.json()["error"] == "NotFound"
