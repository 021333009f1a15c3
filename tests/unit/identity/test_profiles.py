"""ProfileService and resume sniffing on memory adapters: content decides, not the name."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from hrhelper.domain.errors import InvalidInput, NotFound
from hrhelper.domain.identity.model import Role, User
from hrhelper.domain.identity.profiles import ResumeUpload
from hrhelper.domain.identity.resume import MAX_RESUME_BYTES, sniff_resume_type
from tests.support.identity_fakes import IdentitySystem, create_identity_system

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def create_docx(name: str = "word/document.xml") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr(name, "<w:document>Резюме</w:document>")
    return buffer.getvalue()


def create_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


RESUMES = {
    "cv.pdf": (b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n", "application/pdf"),
    "cv.docx": (create_docx(), DOCX),
    "cv.doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "application/msword"),
    "cv.rtf": (b"{\\rtf1\\ansi Ivan Ivanov}", "application/rtf"),
    "cv.txt": ("Иван Иванов, Python-разработчик".encode(), "text/plain"),
    "cv-1251.txt": ("Иван Иванов".encode("cp1251"), "text/plain"),
}


async def create_candidate(system: IdentitySystem, email: str = "ann@example.com") -> User:
    user = await system.create_user(email)
    await system.profiles.mine(user)
    return user


def profile_id_of(system: IdentitySystem, user: User) -> int:
    return next(p.id or 0 for p in system.store.candidate_profiles.values() if p.user_id == user.pk)


@pytest.mark.parametrize("filename", sorted(RESUMES))
async def test_a_real_resume_is_accepted_and_stored(filename: str) -> None:
    sut = create_identity_system()
    user = await create_candidate(sut)
    content, content_type = RESUMES[filename]
    # When the candidate uploads it with some profile text
    view = await sut.profiles.update(
        user,
        profile_id_of(sut, user),
        {"bio": " О себе ", "phone": "+996555123456"},
        ResumeUpload(filename, content),
    )
    # Then the file is stored under the candidate with the sniffed type
    profile = sut.store.candidate_profiles[profile_id_of(sut, user)]
    assert (profile.bio, profile.phone) == ("О себе", "+996555123456")
    assert (profile.resume_name, profile.resume_type, profile.resume_size) == (
        filename,
        content_type,
        len(content),
    )
    assert profile.resume_key.startswith(f"resumes/{user.pk}/")
    assert sut.files.files == {profile.resume_key: (content, content_type)}
    assert view.resume_url == sut.files.url_for(profile.resume_key)


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        ("photo.pdf", create_png()),
        ("big.pdf", b"%PDF-1.4\n" + b"0" * MAX_RESUME_BYTES),
        ("empty.pdf", b""),
        ("archive.docx", create_docx(name="xl/workbook.xml")),
        ("binary.txt", b"\x00\x01\x02binary"),
    ],
)
async def test_anything_else_is_refused_and_nothing_is_stored(
    filename: str, content: bytes
) -> None:
    sut = create_identity_system()
    user = await create_candidate(sut)
    with pytest.raises(InvalidInput) as raised:
        await sut.profiles.update(
            user, profile_id_of(sut, user), {"bio": "x"}, ResumeUpload(filename, content)
        )
    assert list(raised.value.details) == ["resume"]
    assert sut.files.files == {}
    assert sut.store.candidate_profiles[profile_id_of(sut, user)].bio == ""


async def test_the_upload_is_sniffed_off_the_event_loop_thread() -> None:
    sut = create_identity_system()
    user = await create_candidate(sut)
    # When a DOCX (a ZIP archive to read) is uploaded
    await sut.profiles.update(
        user, profile_id_of(sut, user), {}, ResumeUpload("cv.docx", RESUMES["cv.docx"][0])
    )
    # Then the sniffing ran once, in another thread than the loop's
    assert sut.runner.calls == [("sniff_resume_type", True)]


async def test_a_damaged_docx_upload_is_refused_and_nothing_is_stored() -> None:
    sut = create_identity_system()
    user = await create_candidate(sut)
    content = bytearray(create_docx())
    content[_CENTRAL + 6] = 0xFF  # "version needed to extract": 25.5, unknown to zipfile
    with pytest.raises(InvalidInput) as raised:
        await sut.profiles.update(
            user, profile_id_of(sut, user), {}, ResumeUpload("cv.docx", bytes(content))
        )
    assert list(raised.value.details) == ["resume"]
    assert sut.files.files == {}


async def test_another_users_profile_is_not_found_and_the_upload_is_dropped() -> None:
    sut = create_identity_system()
    ann = await create_candidate(sut)
    bob = await create_candidate(sut, "bob@example.com")
    content, _ = RESUMES["cv.pdf"]
    with pytest.raises(NotFound):
        await sut.profiles.update(
            ann, profile_id_of(sut, bob), {"bio": "hacked"}, ResumeUpload("cv.pdf", content)
        )
    assert sut.files.files == {}
    assert sut.store.candidate_profiles[profile_id_of(sut, bob)].bio == ""


async def test_replacing_the_resume_deletes_the_old_file() -> None:
    sut = create_identity_system()
    user = await create_candidate(sut)
    profile_id = profile_id_of(sut, user)
    await sut.profiles.update(user, profile_id, {}, ResumeUpload("cv.pdf", RESUMES["cv.pdf"][0]))
    old_key = sut.store.candidate_profiles[profile_id].resume_key
    # When a new resume replaces it
    await sut.profiles.update(user, profile_id, {}, ResumeUpload("cv.docx", RESUMES["cv.docx"][0]))
    # Then only the new file is kept
    new_key = sut.store.candidate_profiles[profile_id].resume_key
    assert new_key != old_key
    assert list(sut.files.files) == [new_key]
    assert new_key.endswith(".docx")


async def test_a_text_only_update_keeps_the_resume() -> None:
    sut = create_identity_system()
    user = await create_candidate(sut)
    profile_id = profile_id_of(sut, user)
    await sut.profiles.update(user, profile_id, {}, ResumeUpload("cv.rtf", RESUMES["cv.rtf"][0]))
    key = sut.store.candidate_profiles[profile_id].resume_key
    await sut.profiles.update(user, profile_id, {"linkedin": "https://linkedin.com/in/ann"}, None)
    assert sut.store.candidate_profiles[profile_id].resume_key == key
    assert list(sut.files.files) == [key]


async def test_mine_creates_the_profile_once() -> None:
    sut = create_identity_system()
    user = await sut.create_user()
    first = await sut.profiles.mine(user)
    again = await sut.profiles.mine(user)
    assert first.profile.id == again.profile.id
    assert (first.resume_url, len(sut.store.candidate_profiles)) == (None, 1)


async def read_resume(system: IdentitySystem, actor: User, key: str) -> tuple[str, str, bytes]:
    found = await system.profiles.resume(actor, key)
    content = b"".join([chunk async for chunk in found.chunks])
    assert found.size == len(content)
    return found.filename, found.content_type, content


async def test_the_resume_is_read_by_its_owner_hr_and_admins_only() -> None:
    sut = create_identity_system()
    ann = await create_candidate(sut)
    bob = await create_candidate(sut, "bob@example.com")
    hr = await sut.create_user("hr@example.com", Role.HR)
    admin = await sut.create_user("admin@example.com", Role.ADMIN)
    content, content_type = RESUMES["cv.pdf"]
    view = await sut.profiles.update(
        ann, profile_id_of(sut, ann), {}, ResumeUpload("Резюме.pdf", content)
    )
    key = view.profile.resume_key
    for reader in (ann, hr, admin):
        assert await read_resume(sut, reader, key) == ("Резюме.pdf", content_type, content)
    with pytest.raises(NotFound):
        await sut.profiles.resume(bob, key)


async def test_old_unknown_and_made_up_resume_keys_are_not_found() -> None:
    sut = create_identity_system()
    ann = await create_candidate(sut)
    admin = await sut.create_user("admin@example.com", Role.ADMIN)
    profile_id = profile_id_of(sut, ann)
    first = await sut.profiles.update(
        ann, profile_id, {}, ResumeUpload("a.pdf", RESUMES["cv.pdf"][0])
    )
    second = await sut.profiles.update(
        ann, profile_id, {}, ResumeUpload("b.txt", RESUMES["cv.txt"][0])
    )
    key = second.profile.resume_key
    assert (await read_resume(sut, admin, key))[2] == RESUMES["cv.txt"][0]
    sibling = key.rsplit("/", 1)[0] + "/" + "0" * 32 + ".txt"
    for made_up in (
        first.profile.resume_key,
        sibling,
        "resumes/99/" + key.rsplit("/", 1)[1],
        "../" + key,
        key + "/",
        "resumes/x/y.pdf",
        "",
    ):
        with pytest.raises(NotFound):
            await sut.profiles.resume(admin, made_up)
    # and a row whose file has vanished is not found either
    sut.files.files.clear()
    with pytest.raises(NotFound):
        await sut.profiles.resume(ann, key)


_CENTRAL = create_docx().index(b"PK\x01\x02")
"""Where the central directory of ``create_docx()`` starts."""
UNREADABLE_VERSION = [(_CENTRAL + 6, 0xFF)]  # "version needed to extract": 25.5
NAME_NOT_UTF8 = [(_CENTRAL + 9, 0x08), (_CENTRAL + 46, 0xFF)]  # UTF-8 flag, bad first byte


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    edits=st.lists(
        st.tuples(st.integers(min_value=4, max_value=2_000), st.integers(0, 255)),
        min_size=1,
        max_size=4,
    )
)
@example(edits=UNREADABLE_VERSION)
@example(edits=NAME_NOT_UTF8)
def test_any_damaged_docx_is_accepted_or_refused_as_invalid_input(
    edits: list[tuple[int, int]],
) -> None:
    # Given a DOCX with some bytes overwritten
    content = bytearray(create_docx())
    for position, value in edits:
        content[position % len(content)] = value
    # When its type is sniffed
    try:
        found = sniff_resume_type(bytes(content))
    except InvalidInput:
        return
    # Then it is one of the accepted types, or refused as invalid input (nothing else)
    assert found in {t for _, t in RESUMES.values()}
