"""A Notion page as a candidate card, and the fingerprint that tells its versions apart."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from hrhelper.domain.recruiting.card import Attachment, CardSource
from hrhelper.domain.recruiting.notion import card_from_page, page_fingerprint, plain_text
from hrhelper.domain.recruiting.parsing import (
    choose_resume,
    contacts_from_fields,
    extract_contacts,
    parse_name,
)
from hrhelper.ports.notion import NotionFile, NotionPage, NotionProperty

AT = datetime(2026, 11, 2, 10, 5, tzinfo=UTC)
CV_URL = "https://files.example.com/cv.pdf?X-Amz-Signature=abc"


def create_page(**changes: object) -> NotionPage:
    page = NotionPage(
        id="1a2b3c4d-5e6f-47a8-b9c0-d1e2f3a4b5c6",
        url="https://www.notion.so/Anna-1a2b3c4d5e6f47a8b9c0d1e2f3a4b5c6",
        title=" Anna Petrova — Python developer ",
        created_time=AT,
        last_edited_time=AT,
        parent_id="db",
        properties=(
            NotionProperty("Name", "title", " Anna Petrova — Python developer "),
            NotionProperty("Email", "email", "anna@example.com"),
            NotionProperty("Stage", "status", "Interview"),
            NotionProperty("Skills", "multi_select", ("Python", "SQL")),
            NotionProperty("Salary", "number", 3500.0),
            NotionProperty("Relocate", "checkbox", False),
            NotionProperty("LinkedIn", "url", None),
            NotionProperty("Notes", "rich_text", "  "),
            NotionProperty("CV", "files", ("cv.pdf", "portfolio")),
        ),
        files=(
            NotionFile("CV", "cv.pdf", CV_URL),
            NotionFile("CV", "portfolio", "https://anna.example.com", hosted=False),
        ),
    )
    return replace(page, **changes)  # type: ignore[arg-type]


def test_a_page_becomes_a_card() -> None:
    sut = card_from_page(create_page(), "Phone: +375 29 123-45-67\nBrest")
    assert (sut.source, sut.source_id) == (CardSource.NOTION, create_page().id)
    assert sut.source_url == create_page().url
    assert sut.title == "Anna Petrova — Python developer"
    assert sut.description == "Phone: +375 29 123-45-67\nBrest"
    assert sut.status == "Interview"
    # properties with a value, in Notion's order; the title and files are not fields
    assert list(sut.custom_fields.items()) == [
        ("Email", "anna@example.com"),
        ("Stage", "Interview"),
        ("Skills", "Python, SQL"),
        ("Salary", "3500"),
        ("Relocate", "No"),
    ]
    assert sut.attachments == (
        Attachment("cv.pdf", CV_URL),
        Attachment("portfolio", "https://anna.example.com"),
    )


def test_the_card_reads_as_the_parsers_expect() -> None:
    sut = card_from_page(create_page(), "Phone: +375 29 123-45-67")
    from_fields = contacts_from_fields(sut.custom_fields)
    from_text = extract_contacts(sut.description)
    assert from_fields.email == "anna@example.com"
    assert from_text.phone == "+375291234567"
    assert parse_name(sut.title).last == "Petrova"
    resume = choose_resume(sut)
    assert resume is not None
    assert resume.name == "cv.pdf"


def test_a_page_without_status_or_files() -> None:
    page = create_page(properties=(NotionProperty("Name", "title", "Boris"),), files=())
    sut = card_from_page(page, "")
    assert (sut.status, dict(sut.custom_fields), sut.attachments) == ("", {}, ())


def test_plain_text_of_each_kind() -> None:
    assert [plain_text(v) for v in (None, True, False, 2.0, 2.5, 7, ("a", "", "b"), "x")] == [
        "",
        "Yes",
        "No",
        "2",
        "2.5",
        "7",
        "a, b",
        "x",
    ]


def test_the_fingerprint_follows_edits_but_not_fresh_file_signatures() -> None:
    page = create_page()
    same = page_fingerprint(page, "body")
    resigned = replace(page, files=(replace(page.files[0], url=CV_URL + "2"), page.files[1]))
    relinked = replace(page, files=(page.files[0], replace(page.files[1], url="https://b.io")))
    retitled = replace(page, title="Anna")
    assert page_fingerprint(resigned, "body") == same
    assert page_fingerprint(replace(page, last_edited_time=datetime.now(UTC)), "body") == same
    assert len({same, page_fingerprint(page, "body!"), page_fingerprint(relinked, "body")}) == 3
    assert page_fingerprint(retitled, "body") != same


@given(
    values=st.lists(
        st.none() | st.booleans() | st.integers() | st.text() | st.tuples(st.text()), max_size=5
    ),
    content=st.text(),
)
def test_one_changed_value_changes_the_fingerprint(values: list[object], content: str) -> None:
    props = tuple(NotionProperty(f"p{n}", "x", v) for n, v in enumerate(values))  # type: ignore[arg-type]
    page = create_page(properties=props)
    changed = (*props, NotionProperty("extra", "x", "value"))
    assert page_fingerprint(page, content) == page_fingerprint(
        create_page(properties=props), content
    )
    assert page_fingerprint(page, content) != page_fingerprint(
        create_page(properties=changed), content
    )
