"""NotionClient against the fake Notion over real HTTP: the bot, database queries over
cursors with sorts and the edited-since filter, pages with their properties, page text from
nested blocks, and file downloads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from hrhelper.adapters.notion.client import NotionClient, notion_id
from hrhelper.domain.errors import InvalidInput, OutsideServiceError
from hrhelper.ports.notion import NotionSort
from tests.adapters.notion.conftest import VERSION
from tests.fakes.notion import START, FakeNotion, block, prop


async def test_whoami_sends_the_token_and_the_pinned_version(
    sut: NotionClient, notion_server: FakeNotion, token: str
) -> None:
    bot = await sut.whoami()
    assert (bot.id, bot.name, bot.workspace_name) == (
        notion_server.bot["id"],
        "HR backend",
        "Acme",
    )
    (sent,) = notion_server.requests("GET", "/users/me")
    assert sent.headers["authorization"] == f"Bearer {token}"
    assert sent.headers["notion-version"] == VERSION


async def test_every_page_arrives_exactly_once_across_cursors(
    sut: NotionClient, notion_server: FakeNotion
) -> None:
    # Given 250 candidate pages (three batches of at most 100)
    database = notion_server.add_database()
    ids = [notion_server.add_page(database, {"Name": prop.title(f"C {n}")}) for n in range(250)]
    # When every page is read, oldest first
    oldest_first = (NotionSort("created_time"),)
    seen = [page.id async for page in sut.iter_pages(database, sorts=oldest_first)]
    # Then each arrives once, in order, over three requests that follow the cursor
    assert seen == ids
    bodies = [e.json for e in notion_server.requests("POST", f"/databases/{database}/query")]
    assert [b["page_size"] for b in bodies] == [100, 100, 100]
    assert [b.get("start_cursor") for b in bodies] == [None, ids[100], ids[200]]


async def test_pages_edited_while_reading_are_neither_lost_nor_repeated(
    sut: NotionClient, notion_server: FakeNotion
) -> None:
    # Given 150 pages read oldest first (created_time does not move when a page is edited)
    database = notion_server.add_database()
    ids = [notion_server.add_page(database, {"Name": prop.title(f"C {n}")}) for n in range(150)]
    seen = []
    async for page in sut.iter_pages(database, sorts=(NotionSort("created_time"),)):
        seen.append(page.id)
        if len(seen) == 100:
            # When pages on both sides of the cursor are edited between two batches
            for edited in (ids[5], ids[120], ids[149]):
                notion_server.edit_page(edited, START + timedelta(days=1), Stage=prop.select("x"))
    # Then each page still arrives exactly once
    assert seen == ids


async def test_one_batch_with_a_cursor(sut: NotionClient, notion_server: FakeNotion) -> None:
    database = notion_server.add_database()
    ids = [notion_server.add_page(database, {"Name": prop.title(str(n))}) for n in range(5)]
    first = await sut.query_pages(database, page_size=2)
    last = await sut.query_pages(database, page_size=2, cursor="ignored" and first.next_cursor)
    rest = await sut.query_pages(database, page_size=2, cursor=last.next_cursor)
    assert [p.id for p in (*first.pages, *last.pages, *rest.pages)] == ids
    assert rest.next_cursor is None


async def test_edited_since_filter_and_sort(sut: NotionClient, notion_server: FakeNotion) -> None:
    # Given pages last edited at 10:00, 10:01, ..., 10:05
    database = notion_server.add_database()
    at = [START + timedelta(hours=1, minutes=n) for n in range(6)]
    ids = [notion_server.add_page(database, {"Name": prop.title("x")}, edited=t) for t in at]
    # When asking for those edited on or after 10:02:30, newest first
    since = at[2] + timedelta(seconds=30)
    newest_first = (NotionSort("last_edited_time", descending=True),)
    found = [
        p.id async for p in sut.iter_pages(database, edited_on_or_after=since, sorts=newest_first)
    ]
    # Then 10:03..10:05 come back, newest first, and the filter went out in Notion's words
    assert found == [ids[5], ids[4], ids[3]]
    (sent,) = notion_server.requests("POST", f"/databases/{database}/query")
    assert sent.json["filter"] == {
        "timestamp": "last_edited_time",
        "last_edited_time": {"on_or_after": "2026-11-02T10:02:30.000Z"},
    }
    assert sent.json["sorts"] == [{"timestamp": "last_edited_time", "direction": "descending"}]


async def test_sort_by_property(sut: NotionClient, notion_server: FakeNotion) -> None:
    database = notion_server.add_database()
    for name in ("Boris", "Anna", "Vera"):
        notion_server.add_page(database, {"Name": prop.title(name)})
    batch = await sut.query_pages(database, sorts=(NotionSort("Name", "property"),))
    assert [p.title for p in batch.pages] == ["Anna", "Boris", "Vera"]


async def test_archived_pages_are_not_listed(sut: NotionClient, notion_server: FakeNotion) -> None:
    database = notion_server.add_database()
    kept, gone = (notion_server.add_page(database, {"Name": prop.title(n)}) for n in "ab")
    notion_server.archive_page(gone)
    assert [p.id async for p in sut.iter_pages(database)] == [kept]


async def test_page_size_is_checked_here_and_there(
    sut: NotionClient, notion_server: FakeNotion, token: str
) -> None:
    database = notion_server.add_database()
    with pytest.raises(InvalidInput):
        await sut.query_pages(database, page_size=101)
    assert notion_server.requests() == []
    async with httpx.AsyncClient() as raw:
        answer = await raw.post(
            f"{notion_server.url}/databases/{database}/query",
            json={"page_size": 101},
            headers={"Authorization": f"Bearer {token}", "Notion-Version": VERSION},
        )
    assert (answer.status_code, answer.json()["code"]) == (400, "validation_error")


async def test_page_properties_become_plain_values(
    sut: NotionClient, notion_server: FakeNotion
) -> None:
    # Given a page with one property of each kind we read
    database = notion_server.add_database()
    cv = notion_server.add_file("cv.pdf", b"%PDF-1.4 cv")
    page_id = notion_server.add_page(
        database,
        {
            "Name": prop.title("Anna ", "Petrova"),
            "About": prop.text("Python, ", "Django"),
            "Email": prop.plain("email", "anna@example.com"),
            "Phone": prop.plain("phone_number", "+375 29 123-45-67"),
            "LinkedIn": prop.plain("url", None),
            "Stage": prop.select("Interview", "status"),
            "Level": prop.select("Senior"),
            "Skills": prop.multi("Python", "SQL"),
            "Salary": prop.plain("number", 3500.0),
            "Relocate": prop.plain("checkbox", True),
            "Recruiter": prop.people("Olga"),
            "Available": prop.date("2026-12-01", "2026-12-15"),
            "CV": prop.files(("cv.pdf", cv, True), ("site", "https://anna.example.com", False)),
        },
    )
    # When it is read
    page = await sut.page(page_id.replace("-", ""))  # the undashed form works as well
    # Then every value is plain, in Notion's order
    assert page.title == "Anna Petrova"
    assert dict(page.plain_properties()) == {
        "Name": "Anna Petrova",
        "About": "Python, Django",
        "Email": "anna@example.com",
        "Phone": "+375 29 123-45-67",
        "LinkedIn": None,
        "Stage": "Interview",
        "Level": "Senior",
        "Skills": ("Python", "SQL"),
        "Salary": 3500,
        "Relocate": True,
        "Recruiter": ("Olga",),
        "Available": "2026-12-01/2026-12-15",
        "CV": ("cv.pdf", "site"),
    }
    assert [(f.property, f.name, f.hosted) for f in page.files] == [
        ("CV", "cv.pdf", True),
        ("CV", "site", False),
    ]
    assert page.files[0].url == cv
    assert page.parent_id == database
    assert page.last_edited_time == datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    assert page.url.endswith(page_id.replace("-", ""))


async def test_page_text_flattens_nested_blocks_in_order(
    sut: NotionClient, notion_server: FakeNotion
) -> None:
    # Given a body of 130 blocks (two batches) with nested lists, a toggle and a child page
    database = notion_server.add_database()
    nested = [block("numbered_list_item", f"step {n}") for n in range(1, 103)]  # two batches
    blocks = [
        block("heading_1", "Anna Petrova"),
        block(
            "bulleted_list_item",
            "Experience",
            children=[block("paragraph", "Acme, 5 years", children=nested[:2])],
        ),
        block("toggle", "Details", children=nested),
        block("to_do", "Call back", checked=True),
        block("child_page", "Interview notes"),
        block("divider"),
        block("table_row", "Email", "anna@example.com"),
        *(block("paragraph", f"line {n}") for n in range(123)),
    ]
    page_id = notion_server.add_page(database, {"Name": prop.title("Anna")}, blocks=blocks)
    # When its text is read
    text = await sut.page_text(page_id)
    # Then each block is one line, children right after their parent and indented
    lines = text.split("\n")
    assert lines[:6] == [
        "Anna Petrova",
        "- Experience",
        "  Acme, 5 years",
        "    1. step 1",
        "    2. step 2",
        "Details",
    ]
    assert lines[6:108] == [f"  {n}. step {n}" for n in range(1, 103)]
    assert lines[108:112] == ["[x] Call back", "Interview notes", "---", "Email | anna@example.com"]
    assert lines[112:] == [f"line {n}" for n in range(123)]
    # and the child page's own body was not read
    child = notion_server.children[page_id][4]["id"]
    assert notion_server.requests("GET", f"/blocks/{child}/children") == []


async def test_page_text_stops_at_the_block_budget(
    notion_server: FakeNotion, http: httpx.AsyncClient, token: str
) -> None:
    from tests.adapters.notion.conftest import create_sut

    database = notion_server.add_database()
    blocks = [block("paragraph", str(n)) for n in range(250)]
    page_id = notion_server.add_page(database, {"Name": prop.title("x")}, blocks=blocks)
    text = await create_sut(notion_server, http, token, max_blocks=150).page_text(page_id)
    assert text.split("\n") == [str(n) for n in range(150)]
    assert len(notion_server.requests("GET", f"/blocks/{page_id}/children")) == 2


async def test_hosted_file_is_downloaded_without_the_token(
    sut: NotionClient, notion_server: FakeNotion
) -> None:
    database = notion_server.add_database()
    url = notion_server.add_file("cv.pdf", b"%PDF-1.4 " + b"x" * 5000)
    page_id = notion_server.add_page(database, {"CV": prop.files(("cv.pdf", url, True))})
    (file,) = (await sut.page(page_id)).files
    got = await sut.download(file, max_bytes=10_000)
    assert (got.name, got.content_type, got.content) == (
        "cv.pdf",
        "application/pdf",
        b"%PDF-1.4 " + b"x" * 5000,
    )
    (fetched,) = [e for e in notion_server.journal if e.path.startswith("/files/")]
    assert "authorization" not in fetched.headers
    with pytest.raises(InvalidInput, match="larger than 1000 bytes"):
        await sut.download(file, max_bytes=1000)
    notion_server.files_expired = True
    with pytest.raises(OutsideServiceError, match="expired; read the Notion page again"):
        await sut.download(file, max_bytes=10_000)


async def test_external_links_into_private_networks_are_not_fetched(
    sut: NotionClient, notion_server: FakeNotion
) -> None:
    database = notion_server.add_database()
    inside = notion_server.add_file("cv.pdf", b"%PDF")  # the fake is on 127.0.0.1
    links = [(inside, "cv.pdf"), ("http://10.255.255.1/cv.pdf", "a"), ("http://localhost/", "b")]
    page_id = notion_server.add_page(
        database, {"CV": prop.files(*((name, url, False) for url, name in links))}
    )
    for file in (await sut.page(page_id)).files:
        with pytest.raises(InvalidInput, match="private network"):
            await sut.download(file, max_bytes=10_000)
    assert [e for e in notion_server.journal if e.path.startswith("/files/")] == []


def test_ids_are_read_from_links_and_checked() -> None:
    link = "https://www.notion.so/acme/1a2B3c4d5e6f47a8b9c0d1e2f3a4b5c6?v=0f0e0d0c0b0a49988776655443322110"
    assert notion_id(link) == "1a2b3c4d-5e6f-47a8-b9c0-d1e2f3a4b5c6"
    assert (
        notion_id("1a2b3c4d-5e6f-47a8-b9c0-d1e2f3a4b5c6") == "1a2b3c4d-5e6f-47a8-b9c0-d1e2f3a4b5c6"
    )
    with pytest.raises(InvalidInput):
        notion_id("../../users/me")
